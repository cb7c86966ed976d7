//===- Common.h - what both native modules of the `ssdc` package share ----===//
//
// ssdc._runtime (the runtime core and the SSD library; no MLIR) and
// ssdc._compiler (the compiler and the host interpreter) take and give the
// same Python shapes of things: statuses become Python exceptions, kernel
// arguments come as one list in signature order, a kernel's description and
// an SSD problem are dicts. Both modules compile this file (docs/python.md).
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_PYTHON_COMMON_H
#define SSDC_PYTHON_COMMON_H

#include "ssdc/Runtime/Launch.h"
#include "ssdc/Runtime/Package.h"
#include "ssdc/Runtime/Status.h"
#include "ssdc/SSD/Forward.h"

#include <nanobind/nanobind.h>

namespace ssdc::python {

namespace nb = nanobind;

/// Raises `status` as a Python exception: InvalidArgument, OutOfRange and
/// DataLoss as ValueError, NotFound as KeyError, Unimplemented as
/// NotImplementedError, the rest (no driver, driver errors) as RuntimeError.
[[noreturn]] void throwStatus(const Status &status);
/// Sets that exception without throwing (for callers outside nanobind).
void setPythonError(const Status &status);
inline void check(const Status &status) {
  if (!status.ok())
    throwStatus(status);
}

/// Kernel arguments from Python, in signature order: an int for an integer
/// argument, a tuple (address, element count, element type code) for a
/// buffer. The Python layer (ssdc/_arguments.py) has already matched them
/// to the signature; bindArgs() checks them again against it.
KernelArgs argsFromList(const nb::list &args);

/// A kernel's declaration: {"name", "args": [(name, "buffer"|"int", type,
/// "read"|"write"|"readwrite")], "params": [(name, values, default)],
/// "key": [arg names], "configs": [[values]], "default_config": index}.
nb::dict describeKernelDict(const pkg::Kernel &kernel);

/// The element types of ElementTypes.def: {name: (code, bytes)}.
nb::dict elementTypes();

/// An SSD problem from the dict ssdc/ssd.py builds (the fields of
/// ssd::ForwardProblem in snake case; strides as 3-tuples).
ssd::ForwardProblem problemFromDict(const nb::dict &problem);

/// The buffers of one forward from 11 addresses (0: none), in the order of
/// ssd::ForwardBuffers.
ssd::ForwardBuffers buffersFromAddresses(const nb::tuple &addresses);
ssd::ForwardBuffers buffersFromAddresses(const uintptr_t *addresses);

} // namespace ssdc::python

#endif // SSDC_PYTHON_COMMON_H
