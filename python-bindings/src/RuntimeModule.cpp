//===- RuntimeModule.cpp - ssdc._runtime: packages, devices, launches, SSD ===//
//
// The part of the `ssdc` package that needs no MLIR: the runtime core
// (include/ssdc/Runtime) and the SSD library (include/ssdc/SSD) with the
// packages it embeds. Addresses and streams cross as integers (a tensor's
// data_ptr(), a CUstream); the Python layer turns tensors into them once per
// call (ssdc/_arguments.py) and does the checks that name an argument.
//
//===----------------------------------------------------------------------===//
#include "Common.h"

#include "ssdc/Runtime/Runtime.h"
#include "ssdc/SSD/Forward.h"

#include <nanobind/ndarray.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <memory>

namespace nb = nanobind;
using namespace ssdc;
using namespace ssdc::python;

namespace {

std::shared_ptr<const LoadedPackage> packageFromBytes(nb::bytes bytes) {
  std::shared_ptr<const LoadedPackage> package;
  check(LoadedPackage::fromBytes(bytes.c_str(), bytes.size(), package));
  return package;
}

std::shared_ptr<const LoadedPackage> packageFromFile(const std::string &path) {
  std::shared_ptr<const LoadedPackage> package;
  check(LoadedPackage::fromFile(path, package));
  return package;
}

nb::dict describePackageKernel(const LoadedPackage &package, const std::string &name) {
  const pkg::Kernel *kernel = package.findKernel(name);
  if (!kernel)
    throwStatus(notFound("the package has no kernel '" + name + "'"));
  return describeKernelDict(*kernel);
}

std::shared_ptr<Device> openDevice(int ordinal) {
  DeviceOptions options;
  options.ordinal = ordinal;
  std::shared_ptr<Device> device;
  check(Device::open(options, device));
  return device;
}

/// What a launch did, as ssdc/_package.py's Kernel.last_launch shows it.
nb::dict reportDict(const DeviceKernel &kernel, const LaunchReport &report) {
  nb::dict out;
  out["config_index"] = report.configIndex;
  out["config"] = describeConfig(kernel.kernel(), report.configIndex);
  out["source"] = configSourceName(report.source);
  out["grid"] = nb::make_tuple(report.launch.grid[0], report.launch.grid[1], report.launch.grid[2]);
  out["block"] =
      nb::make_tuple(report.launch.block[0], report.launch.block[1], report.launch.block[2]);
  out["shared_bytes"] = report.launch.sharedBytes;
  out["launched"] = report.launched;
  return out;
}

nb::dict launchKernel(DeviceKernel &kernel, const nb::list &args, uintptr_t stream) {
  KernelArgs kernelArgs = argsFromList(args);
  LaunchReport report;
  Status status;
  {
    nb::gil_scoped_release release; // tuning may take seconds
    status = kernel.launch(kernelArgs, reinterpret_cast<void *>(stream), &report);
  }
  check(status);
  return reportDict(kernel, report);
}

/// A DeviceForward: made once per problem, executed per call.
class SsdForward {
public:
  SsdForward(std::shared_ptr<Device> device, const nb::dict &problem) {
    check(ssd::DeviceForward::create(std::move(device), problemFromDict(problem), forward));
  }
  uint64_t workspaceBytes() const { return forward->workspaceBytes(); }
  void tune(const nb::tuple &addresses, uintptr_t workspace, uintptr_t stream) {
    ssd::ForwardBuffers buffers = buffersFromAddresses(addresses);
    Status status;
    {
      nb::gil_scoped_release release;
      status = forward->tune(buffers, reinterpret_cast<void *>(workspace),
                             reinterpret_cast<void *>(stream));
    }
    check(status);
  }
  // The hot path: no allocation, no synchronization, the GIL kept (the
  // launches only enqueue; releasing it would cost more than they take).
  // Once tuned, the launches are prepared ones (docs/python.md).
  void execute(const nb::tuple &addresses, uintptr_t workspace, uintptr_t stream) const {
    check(forward->execute(buffersFromAddresses(addresses), reinterpret_cast<void *>(workspace),
                           reinterpret_cast<void *>(stream)));
  }
  std::string describeConfigs() const { return forward->describeConfigs(); }
  size_t preparedLaunches() const { return forward->preparedLaunches(); }

  /// execute() as ssdc._torch_fast calls it (TorchFastPath.cpp, a module of
  /// its own over libtorch, which cannot link this one): a plain function
  /// on 11 raw addresses that sets the Python exception execute() would
  /// raise and returns -1 on an error. The caller holds the GIL.
  using ExecuteEntry = int (*)(const void *self, const uintptr_t *addresses, uintptr_t workspace,
                               uintptr_t stream);
  static int executeRaw(const void *self, const uintptr_t *addresses, uintptr_t workspace,
                        uintptr_t stream) {
    Status status = static_cast<const SsdForward *>(self)->forward->execute(
        buffersFromAddresses(addresses), reinterpret_cast<void *>(workspace),
        reinterpret_cast<void *>(stream));
    if (status.ok())
      return 0;
    setPythonError(status);
    return -1;
  }
  /// (the address of executeRaw, this object's address) for that module.
  nb::tuple executeEntry() const {
    ExecuteEntry entry = &executeRaw;
    return nb::make_tuple(reinterpret_cast<uintptr_t>(entry), reinterpret_cast<uintptr_t>(this));
  }

private:
  std::unique_ptr<ssd::DeviceForward> forward;
};

/// The plan alone (no device): validation and workspace size, for the
/// checks the Python layer makes once per problem.
uint64_t ssdWorkspaceBytes(const nb::dict &problem) {
  ssd::ForwardPlan plan;
  check(ssd::ForwardPlan::create(problemFromDict(problem), plan));
  return plan.workspaceBytes();
}

/// (address, shape, strides in elements, DLPack type code, bits, device
/// type, device id) of any object nanobind imports through DLPack (or the
/// buffer protocol): how ssdc/_arguments.py reads JAX and other arrays.
nb::tuple dlpackView(nb::ndarray<> array) {
  std::vector<int64_t> shape, strides;
  for (size_t i = 0; i < array.ndim(); ++i) {
    shape.push_back(static_cast<int64_t>(array.shape(i)));
    strides.push_back(array.stride(i));
  }
  nb::dlpack::dtype type = array.dtype();
  return nb::make_tuple(reinterpret_cast<uintptr_t>(array.data()), shape, strides,
                        static_cast<int>(type.code), static_cast<int>(type.bits),
                        static_cast<int>(array.device_type()), static_cast<int>(array.device_id()));
}

} // namespace

NB_MODULE(_runtime, m) {
  m.doc() = "ssdc's runtime core and SSD library (no MLIR): packages, devices, launches";
  m.def("element_types", &elementTypes);
  m.def("dlpack_view", &dlpackView, nb::arg("array"));

  nb::class_<LoadedPackage>(m, "LoadedPackage")
      .def_static("from_bytes", &packageFromBytes, nb::arg("data"))
      .def_static("from_file", &packageFromFile, nb::arg("path"))
      .def_prop_ro("chip", [](const LoadedPackage &p) { return p.package().chip; })
      .def_prop_ro("producer", [](const LoadedPackage &p) { return p.package().producer; })
      .def_prop_ro("hash", [](const LoadedPackage &p) { return p.hash(); })
      .def_prop_ro("kernel_names",
                   [](const LoadedPackage &p) {
                     std::vector<std::string> names;
                     for (const pkg::Kernel &kernel : p.package().kernels)
                       names.push_back(kernel.name);
                     return names;
                   })
      .def("describe", &describePackageKernel, nb::arg("name"));

  nb::class_<Device>(m, "Device")
      .def_static("open", &openDevice, nb::arg("ordinal") = 0)
      .def_static("count",
                  []() {
                    int count = 0;
                    check(Device::count(count));
                    return count;
                  })
      .def_prop_ro("ordinal", &Device::ordinal)
      .def_prop_ro("name", &Device::name)
      .def_prop_ro("chip", &Device::chip)
      .def(
          "kernel",
          [](Device &device, std::shared_ptr<const LoadedPackage> package,
             const std::string &name) {
            std::shared_ptr<DeviceKernel> kernel;
            check(device.kernel(std::move(package), name, kernel));
            return kernel;
          },
          nb::arg("package"), nb::arg("name"));

  nb::class_<DeviceKernel>(m, "DeviceKernel")
      .def("launch", &launchKernel, nb::arg("args"), nb::arg("stream"));

  nb::class_<SsdForward>(m, "SsdForward")
      .def(nb::init<std::shared_ptr<Device>, const nb::dict &>(), nb::arg("device"),
           nb::arg("problem"))
      .def_prop_ro("workspace_bytes", &SsdForward::workspaceBytes)
      .def("tune", &SsdForward::tune, nb::arg("addresses"), nb::arg("workspace"), nb::arg("stream"))
      .def("execute", &SsdForward::execute, nb::arg("addresses"), nb::arg("workspace"),
           nb::arg("stream"))
      .def("describe_configs", &SsdForward::describeConfigs)
      .def_prop_ro("prepared_launches", &SsdForward::preparedLaunches)
      .def_prop_ro("_execute_entry", &SsdForward::executeEntry);

  m.def("ssd_workspace_bytes", &ssdWorkspaceBytes, nb::arg("problem"));
  m.def("ssd_embedded_chips", &ssd::embeddedChips);
}
