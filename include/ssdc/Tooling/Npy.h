//===- Npy.h - NumPy .npy files for host buffers ----------------*- C++ -*-===//
//
// `ssdc run` reads inputs from and writes outputs to NumPy's .npy format
// (versions 1.0 to 3.0, little-endian, C order), for the host target and for
// packages alike; like the runtime, this depends on nothing but
// the C++ standard library. A file of any shape maps to a flat buffer of as
// many elements. f32, f16, i32 and i64 use NumPy's `<f4`, `<f2`, `<i4` and
// `<i8`; NumPy has no bfloat16, so bf16 buffers are stored as their raw
// 16-bit patterns, `<u2` (`a.view(np.uint16)`, or
// `torch.from_numpy(a).view(torch.bfloat16)` to read one).
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_TOOLING_NPY_H
#define SSDC_TOOLING_NPY_H

#include "ssdc/Runtime/Status.h"
#include "ssdc/Tooling/HostBuffer.h"

#include <string>

namespace ssdc {

/// The .npy descr of `type`, e.g. "<f4".
const char *npyDescr(pkg::ElemType type);

/// Reads `path` into `out`, a buffer of `type` with as many elements as the
/// file's shape. A file of another dtype, a big-endian or Fortran-order array,
/// a truncated or malformed file, or one whose data would exceed
/// kMaxRunBufferBytes is an error whose message names the file and says what
/// is wrong; nothing is allocated for a file whose size contradicts its header.
Status readNpy(const std::string &path, pkg::ElemType type, HostBuffer &out);

/// Writes `buffer` as a 1-D array to `path`.
Status writeNpy(const std::string &path, const HostBuffer &buffer);

} // namespace ssdc

#endif // SSDC_TOOLING_NPY_H
