//===- TorchFastPath.cpp - ssdc._torch_fast: an SSD call's hot path in C++ -===//
//
// A tuned SSD call on CUDA tensors spends most of its host time in Python:
// reading each tensor's shape, strides, dtype and device for the plan key,
// allocating the outputs and reading the addresses (bench/NOTES.md, "The SSD
// forward as one CUDA graph launch"). This module does those in C++ through
// libtorch (THPVariable_Unpack, at::empty, c10's current stream) for the
// plans ssdc/ssd.py has made and tuned, which register here: it keys them on
// everything ssd.plan_key covers (every tensor's shape, strides, dtype and
// device, and the options), so a hit is a problem that was checked, and it
// runs the plan's SsdForward through SsdForward._execute_entry. Anything
// else (no plan yet, a non-tensor, a CPU tensor, a stream without a
// workspace) returns None and the Python path handles it.
//
// A module of its own, over the CPython API, because it links libtorch (as
// PyTorch's C++ extensions do, torch.utils.cpp_extension) and ssdc._runtime
// must not; python-bindings/src/CMakeLists.txt builds it only against a
// CUDA PyTorch with its headers, and the package works without it.
//
//===----------------------------------------------------------------------===//
#include <Python.h>

#include <ATen/core/Tensor.h>
#include <ATen/ops/empty.h>
#include <c10/cuda/CUDAStream.h>
#include <torch/csrc/Exceptions.h>
#include <torch/csrc/autograd/python_variable.h>

#include <cstring>
#include <unordered_map>
#include <vector>

namespace {

/// SsdForward::ExecuteEntry (RuntimeModule.cpp).
using ExecuteEntry = int (*)(const void *self, const uintptr_t *addresses, uintptr_t workspace,
                             uintptr_t stream);

/// The arguments of forward() and register(), in ssdc/ssd.py's forward()
/// order (`mamba` a bool for its form); register() takes the plan first.
enum Arg {
  kMamba,
  kX,
  kDt,
  kA,
  kB,
  kC,
  kChunk,
  kD,
  kZ,
  kDtBias,
  kInit,
  kSoftplus,
  kWantY,
  kWantFinal,
  kLimitLo,
  kLimitHi,
  kNumArgs
};
/// The tensors among them, in ssd::ForwardBuffers' order (then y, final).
constexpr Arg kTensors[] = {kX, kDt, kA, kB, kC, kD, kZ, kDtBias, kInit};
constexpr int kNumTensors = 9;

struct KeyHash {
  size_t operator()(const std::vector<int64_t> &key) const {
    uint64_t hash = 1469598103934665603ull; // FNV-1a, a word at a time
    for (int64_t word : key) {
      hash ^= static_cast<uint64_t>(word);
      hash *= 1099511628211ull;
    }
    return hash;
  }
};

struct Plan {
  PyObject *owner = nullptr;  // the Python _Plan, held: it keeps the forward
  PyObject *spaces = nullptr; // its workspaces by stream (a dict), held
  ExecuteEntry execute = nullptr;
  const void *forward = nullptr;
  bool wantY = false, wantFinal = false, needsWorkspace = false;
  std::vector<int64_t> yShape, finalShape;
  bool takes[kNumTensors] = {};
};

std::unordered_map<std::vector<int64_t>, Plan, KeyHash> plans;

void release(Plan &plan) {
  Py_CLEAR(plan.owner);
  Py_CLEAR(plan.spaces);
}

/// The key of a call into `key`, and its tensors (null for None); false when
/// the call is not one this module takes, which leaves no Python error set.
bool makeKey(PyObject *const *args, std::vector<int64_t> &key,
             const at::Tensor *tensors[kNumTensors]) {
  for (Arg flag : {kMamba, kSoftplus, kWantY, kWantFinal}) {
    if (args[flag] != Py_True && args[flag] != Py_False)
      return false;
    key.push_back(args[flag] == Py_True);
  }
  if (!PyLong_CheckExact(args[kChunk]))
    return false;
  int overflow = 0;
  long long chunk = PyLong_AsLongLongAndOverflow(args[kChunk], &overflow);
  if (overflow != 0)
    return false;
  key.push_back(chunk);
  for (Arg limit : {kLimitLo, kLimitHi}) {
    if (!PyFloat_CheckExact(args[limit]))
      return false;
    double value = PyFloat_AS_DOUBLE(args[limit]);
    int64_t bits;
    std::memcpy(&bits, &value, sizeof(bits));
    key.push_back(bits);
  }
  for (int i = 0; i < kNumTensors; ++i) {
    PyObject *object = args[kTensors[i]];
    tensors[i] = nullptr;
    if (object == Py_None) {
      key.push_back(-1);
      continue;
    }
    // x exactly a torch.Tensor, as ssd.forward's hot path asks.
    if (i == 0 ? !THPVariable_CheckExact(object) : !THPVariable_Check(object))
      return false;
    const at::Tensor &tensor = THPVariable_Unpack(object);
    if (!tensor.defined() || !tensor.is_cuda() || tensor.layout() != at::kStrided)
      return false;
    key.push_back(static_cast<int64_t>(tensor.scalar_type()));
    key.push_back(tensor.get_device());
    key.push_back(tensor.dim());
    for (int64_t size : tensor.sizes())
      key.push_back(size);
    for (int64_t stride : tensor.strides())
      key.push_back(stride);
    tensors[i] = &tensor;
  }
  return true;
}

/// forward(mamba, x, dt, A, B, C, chunk, D, z, dt_bias, init, softplus,
/// want_y, want_final, dt_limit_lo, dt_limit_hi) -> (y, final) or None.
PyObject *forward(PyObject *, PyObject *const *args, Py_ssize_t count) {
  HANDLE_TH_ERRORS
  if (count != kNumArgs) {
    PyErr_SetString(PyExc_TypeError, "ssdc._torch_fast.forward takes 16 arguments");
    return nullptr;
  }
  std::vector<int64_t> key;
  key.reserve(64);
  const at::Tensor *tensors[kNumTensors];
  if (!makeKey(args, key, tensors))
    Py_RETURN_NONE;
  auto found = plans.find(key);
  if (found == plans.end())
    Py_RETURN_NONE;
  const Plan &plan = found->second;
  const at::Tensor &x = *tensors[0];
  uintptr_t stream =
      reinterpret_cast<uintptr_t>(c10::cuda::getCurrentCUDAStream(x.get_device()).stream());
  uintptr_t workspace = 0;
  if (plan.needsWorkspace) {
    PyObject *streamKey = PyLong_FromUnsignedLongLong(stream);
    if (streamKey == nullptr)
      return nullptr;
    PyObject *space = PyDict_GetItemWithError(plan.spaces, streamKey); // borrowed
    Py_DECREF(streamKey);
    if (space == nullptr) {
      if (PyErr_Occurred())
        return nullptr;
      Py_RETURN_NONE; // the Python path makes this stream's workspace
    }
    workspace = PyLong_AsUnsignedLongLong(space);
    if (PyErr_Occurred())
      return nullptr;
  }
  at::Tensor y, final;
  if (plan.wantY)
    y = at::empty(plan.yShape, x.options());
  if (plan.wantFinal)
    final = at::empty(plan.finalShape, x.options().dtype(at::kFloat));
  uintptr_t addresses[kNumTensors + 2] = {};
  for (int i = 0; i < kNumTensors; ++i)
    if (tensors[i] != nullptr && plan.takes[i])
      addresses[i] = reinterpret_cast<uintptr_t>(tensors[i]->data_ptr());
  if (y.defined())
    addresses[kNumTensors] = reinterpret_cast<uintptr_t>(y.data_ptr());
  if (final.defined())
    addresses[kNumTensors + 1] = reinterpret_cast<uintptr_t>(final.data_ptr());
  if (plan.execute(plan.forward, addresses, workspace, stream) != 0)
    return nullptr;
  PyObject *result = PyTuple_New(2);
  if (result == nullptr)
    return nullptr;
  auto wrap = [](at::Tensor tensor) -> PyObject * {
    if (!tensor.defined())
      Py_RETURN_NONE;
    return THPVariable_Wrap(std::move(tensor));
  };
  PyTuple_SET_ITEM(result, 0, wrap(std::move(y)));
  PyTuple_SET_ITEM(result, 1, wrap(std::move(final)));
  if (PyTuple_GET_ITEM(result, 0) == nullptr || PyTuple_GET_ITEM(result, 1) == nullptr) {
    Py_DECREF(result);
    return nullptr;
  }
  return result;
  END_HANDLE_TH_ERRORS
}

/// The ints of a tuple (a shape), or None: false with an error set.
bool readShape(PyObject *object, std::vector<int64_t> &shape, bool &present) {
  present = object != Py_None;
  if (!present)
    return true;
  PyObject *sequence = PySequence_Fast(object, "an output shape must be a sequence");
  if (sequence == nullptr)
    return false;
  for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(sequence); ++i) {
    shape.push_back(PyLong_AsLongLong(PySequence_Fast_GET_ITEM(sequence, i)));
    if (PyErr_Occurred()) {
      Py_DECREF(sequence);
      return false;
    }
  }
  Py_DECREF(sequence);
  return true;
}

/// register(plan, <forward()'s 16 arguments>): the tuned CUDA _Plan that
/// ssd.forward used for these arguments, so that forward() takes the next
/// such call. False when this module does not take calls like it.
PyObject *registerPlan(PyObject *, PyObject *const *args, Py_ssize_t count) {
  HANDLE_TH_ERRORS
  if (count != kNumArgs + 1) {
    PyErr_SetString(PyExc_TypeError, "ssdc._torch_fast.register takes 17 arguments");
    return nullptr;
  }
  std::vector<int64_t> key;
  const at::Tensor *tensors[kNumTensors];
  if (!makeKey(args + 1, key, tensors))
    Py_RETURN_FALSE;
  PyObject *owner = args[0];
  Plan plan;
  PyObject *forwardObject = PyObject_GetAttrString(owner, "forward");
  PyObject *entry =
      forwardObject ? PyObject_GetAttrString(forwardObject, "_execute_entry") : nullptr;
  Py_XDECREF(forwardObject);
  if (entry == nullptr)
    return nullptr;
  unsigned long long function = 0, self = 0;
  bool parsed = PyArg_ParseTuple(entry, "KK", &function, &self);
  Py_DECREF(entry);
  if (!parsed)
    return nullptr;
  plan.execute = reinterpret_cast<ExecuteEntry>(static_cast<uintptr_t>(function));
  plan.forward = reinterpret_cast<const void *>(static_cast<uintptr_t>(self));

  PyObject *yShape = PyObject_GetAttrString(owner, "y_shape");
  PyObject *finalShape = yShape ? PyObject_GetAttrString(owner, "final_shape") : nullptr;
  bool shapes = finalShape && readShape(yShape, plan.yShape, plan.wantY) &&
                readShape(finalShape, plan.finalShape, plan.wantFinal);
  Py_XDECREF(yShape);
  Py_XDECREF(finalShape);
  if (!shapes)
    return nullptr;

  PyObject *takes = PyObject_GetAttrString(owner, "takes");
  if (takes == nullptr)
    return nullptr;
  if (!PyTuple_Check(takes) || PyTuple_GET_SIZE(takes) != kNumTensors) {
    Py_DECREF(takes);
    PyErr_SetString(PyExc_TypeError, "a plan's takes must be a tuple of 9 flags");
    return nullptr;
  }
  for (int i = 0; i < kNumTensors; ++i)
    plan.takes[i] = PyTuple_GET_ITEM(takes, i) == Py_True;
  Py_DECREF(takes);

  PyObject *bytes = PyObject_GetAttrString(owner, "workspace_bytes");
  if (bytes == nullptr)
    return nullptr;
  plan.needsWorkspace = PyObject_IsTrue(bytes) == 1;
  Py_DECREF(bytes);
  plan.spaces = PyObject_GetAttrString(owner, "spaces");
  if (plan.spaces == nullptr)
    return nullptr;
  if (!PyDict_Check(plan.spaces)) {
    Py_DECREF(plan.spaces);
    PyErr_SetString(PyExc_TypeError, "a plan's spaces must be a dict");
    return nullptr;
  }
  Py_INCREF(owner);
  plan.owner = owner;
  auto [slot, inserted] = plans.try_emplace(std::move(key), plan);
  if (!inserted) {
    release(slot->second);
    slot->second = plan;
  }
  Py_RETURN_TRUE;
  END_HANDLE_TH_ERRORS
}

/// clear(): forgets every plan (ssd.clear_plans).
PyObject *clear(PyObject *, PyObject *) {
  std::unordered_map<std::vector<int64_t>, Plan, KeyHash> old;
  old.swap(plans);
  for (auto &[key, plan] : old)
    release(plan);
  Py_RETURN_NONE;
}

PyMethodDef methods[] = {
    {"forward", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&forward)),
     METH_FASTCALL, "A registered plan's call: (y, final), or None when the Python path takes it"},
    {"register", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&registerPlan)),
     METH_FASTCALL, "Registers a tuned CUDA plan for calls like these arguments"},
    {"clear", &clear, METH_NOARGS, "Forgets every plan"},
    {nullptr, nullptr, 0, nullptr}};

PyModuleDef module = {PyModuleDef_HEAD_INIT,
                      "_torch_fast",
                      "ssdc.ssd's CUDA hot path in C++ over libtorch (TorchFastPath.cpp)",
                      -1,
                      methods,
                      nullptr,
                      nullptr,
                      nullptr,
                      nullptr};

} // namespace

PyMODINIT_FUNC PyInit__torch_fast() { return PyModule_Create(&module); }
