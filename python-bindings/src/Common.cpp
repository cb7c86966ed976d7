//===- Common.cpp - what both native modules of the `ssdc` package share --===//
#include "Common.h"

#include "ssdc/Runtime/ElementType.h"

#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <Python.h>

#include <limits>

namespace ssdc::python {

void setPythonError(const Status &status) {
  PyObject *type = PyExc_RuntimeError;
  switch (status.code()) {
  case StatusCode::InvalidArgument:
  case StatusCode::OutOfRange:
  case StatusCode::DataLoss:
    type = PyExc_ValueError;
    break;
  case StatusCode::NotFound:
    type = PyExc_KeyError;
    break;
  case StatusCode::Unimplemented:
    type = PyExc_NotImplementedError;
    break;
  default:
    break;
  }
  std::string message = status.message();
  if (!status.driverError().empty())
    message += " (" + status.driverError() + ")";
  PyErr_SetString(type, message.c_str());
}

void throwStatus(const Status &status) {
  setPythonError(status);
  throw nb::python_error();
}

KernelArgs argsFromList(const nb::list &args) {
  KernelArgs out;
  for (nb::handle item : args) {
    if (nb::isinstance<nb::tuple>(item)) {
      nb::tuple buffer = nb::borrow<nb::tuple>(item);
      auto address = nb::cast<uintptr_t>(buffer[0]);
      out.add(ArgValue::buffer(reinterpret_cast<void *>(address), nb::cast<uint64_t>(buffer[1]),
                               static_cast<pkg::ElemType>(nb::cast<int>(buffer[2]))));
    } else if (nb::isinstance<nb::float_>(item)) {
      out.add(ArgValue::floatScalar(nb::cast<double>(item)));
    } else {
      out.add(ArgValue::scalar(nb::cast<int64_t>(item)));
    }
  }
  return out;
}

const char *argKindName(pkg::ArgKind kind) {
  switch (kind) {
  case pkg::ArgKind::Buffer:
    return "buffer";
  case pkg::ArgKind::Float:
    return "float";
  case pkg::ArgKind::Int:
    break;
  }
  return "int";
}

nb::dict describeKernelDict(const pkg::Kernel &kernel) {
  nb::list args, params, key, configs;
  for (const pkg::Arg &arg : kernel.args)
    args.append(nb::make_tuple(arg.name, argKindName(arg.kind), elemTypeName(arg.type),
                               pkg::accessName(arg.access)));
  for (const pkg::Param &param : kernel.params)
    params.append(nb::make_tuple(param.name, param.values, param.defaultValue));
  for (uint32_t index : kernel.keyArgs)
    key.append(kernel.args[index].name);
  for (const pkg::Config &config : kernel.configs)
    configs.append(config.paramValues);
  nb::dict out;
  out["name"] = kernel.name;
  out["args"] = args;
  out["params"] = params;
  out["key"] = key;
  out["configs"] = configs;
  out["default_config"] = kernel.defaultConfig;
  return out;
}

nb::dict elementTypes() {
  nb::dict out;
#define SSDC_ELEMENT_TYPE(Enum, Name, Code, Size, ...) out[#Name] = nb::make_tuple(Code, Size);
#include "ssdc/Runtime/ElementTypes.def"
  return out;
}

namespace {
ssd::ViewStrides stridesOf(const nb::dict &problem, const char *name) {
  if (!problem.contains(name))
    return {};
  nb::tuple strides = nb::cast<nb::tuple>(problem[name]);
  if (strides.size() != 3)
    throw nb::value_error((std::string(name) + " must hold 3 strides").c_str());
  return {nb::cast<int64_t>(strides[0]), nb::cast<int64_t>(strides[1]),
          nb::cast<int64_t>(strides[2])};
}

template <typename T> T field(const nb::dict &problem, const char *name, T otherwise) {
  return problem.contains(name) ? nb::cast<T>(problem[name]) : otherwise;
}
} // namespace

ssd::ForwardProblem problemFromDict(const nb::dict &problem) {
  ssd::ForwardProblem p;
  std::string form = field<std::string>(problem, "form", "mamba");
  if (form != "mamba" && form != "kernelbench")
    throw nb::value_error("form must be 'mamba' or 'kernelbench'");
  p.form = form == "mamba" ? ssd::Form::Mamba : ssd::Form::KernelBench;
  p.batch = field<int64_t>(problem, "batch", 0);
  p.seqlen = field<int64_t>(problem, "seqlen", 0);
  p.heads = field<int64_t>(problem, "heads", 0);
  p.headDim = field<int64_t>(problem, "head_dim", 0);
  p.stateDim = field<int64_t>(problem, "state_dim", 0);
  p.groups = field<int64_t>(problem, "groups", 0);
  p.chunk = field<int64_t>(problem, "chunk", 0);
  p.dtype = static_cast<pkg::ElemType>(field<int>(problem, "dtype", 0));
  p.returnY = field<bool>(problem, "return_y", true);
  p.returnFinalStates = field<bool>(problem, "return_final_states", false);
  p.hasD = field<bool>(problem, "has_d", false);
  p.dPerChannel = field<bool>(problem, "d_per_channel", false);
  p.hasZ = field<bool>(problem, "has_z", false);
  p.hasDtBias = field<bool>(problem, "has_dt_bias", false);
  p.dtSoftplus = field<bool>(problem, "dt_softplus", false);
  p.hasInitialStates = field<bool>(problem, "has_initial_states", false);
  p.dtLimitLo = field<double>(problem, "dt_limit_lo", 0.0);
  p.dtLimitHi = field<double>(problem, "dt_limit_hi", std::numeric_limits<double>::infinity());
  p.x = stridesOf(problem, "x_strides");
  p.dt = stridesOf(problem, "dt_strides");
  p.b = stridesOf(problem, "b_strides");
  p.c = stridesOf(problem, "c_strides");
  p.z = stridesOf(problem, "z_strides");
  p.y = stridesOf(problem, "y_strides");
  return p;
}

ssd::ForwardBuffers buffersFromAddresses(const nb::tuple &addresses) {
  if (addresses.size() != 11)
    throw nb::value_error("an SSD forward takes 11 buffer addresses");
  uintptr_t values[11];
  for (size_t i = 0; i < 11; ++i)
    values[i] = nb::cast<uintptr_t>(addresses[i]);
  return buffersFromAddresses(values);
}

ssd::ForwardBuffers buffersFromAddresses(const uintptr_t *addresses) {
  auto at = [&](size_t index) { return reinterpret_cast<void *>(addresses[index]); };
  ssd::ForwardBuffers b;
  b.x = at(0);
  b.dt = at(1);
  b.a = at(2);
  b.b = at(3);
  b.c = at(4);
  b.d = at(5);
  b.z = at(6);
  b.dtBias = at(7);
  b.initialStates = at(8);
  b.y = at(9);
  b.finalStates = at(10);
  return b;
}

} // namespace ssdc::python
