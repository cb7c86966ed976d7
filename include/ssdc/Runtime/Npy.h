//===- Npy.h - NumPy .npy files for host buffers ----------------*- C++ -*-===//
//
// `ssdc run` reads inputs from and writes outputs to NumPy's .npy format
// (versions 1.0 to 3.0, little-endian, C order). A file of any shape maps to
// a flat buffer of as many elements. f32, f16, i32 and i64 use NumPy's
// `<f4`, `<f2`, `<i4` and `<i8`; NumPy has no bfloat16, so bf16 buffers are
// stored as their raw 16-bit patterns, `<u2` (`a.view(np.uint16)`, or
// `torch.from_numpy(a).view(torch.bfloat16)` to read one).
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_TARGET_HOST_NPY_H
#define SSDC_TARGET_HOST_NPY_H

#include "ssdc/Target/Host/HostBuffer.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace ssdc::host {

/// The .npy descr of `type`, e.g. "<f4".
llvm::StringRef npyDescr(pkg::ElemType type);

/// Reads `path` into a buffer of `type`; a file of another dtype, a
/// Fortran-order or big-endian array, or a truncated or malformed file is an
/// error that names the file and says what is wrong.
llvm::Expected<HostBuffer> readNpy(llvm::StringRef path, pkg::ElemType type);

/// Writes `buffer` as a 1-D array to `path`.
llvm::Error writeNpy(llvm::StringRef path, const HostBuffer &buffer);

} // namespace ssdc::host

#endif // SSDC_TARGET_HOST_NPY_H
