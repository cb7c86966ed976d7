//===- CppHeader.h - A typed C++ header from a kernel package ---*- C++ -*-===//
//
// `ssdc compile --emit=cpp-header`: a self-contained header that embeds a
// package and declares, per kernel, a struct of typed arguments, its configs
// and launch functions, so that a C++ program calls a kernel with arguments
// checked at compile time (and again by the runtime). The header is made from
// the package alone: what a program can launch is exactly what the package
// says. The generated API is described in docs/cpp-header.md.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_COMPILER_CPPHEADER_H
#define SSDC_COMPILER_CPPHEADER_H

#include "ssdc/Runtime/Package.h"
#include "ssdc/Runtime/Status.h"

#include <string>

namespace ssdc {

struct CppHeaderOptions {
  /// The namespace of the generated declarations: identifiers separated by
  /// "::", e.g. "segsum" or "engine::kernels".
  std::string cppNamespace;
  /// The header's file name, e.g. "segsum_exp.h": named in its banner and in
  /// errors about its embedded package.
  std::string headerName;
  /// What the package was compiled from, for the banner (a file name).
  std::string source;
};

/// `name` as a C++ identifier: every character other than an ASCII letter,
/// digit or '_' becomes '_'; `prefix` goes in front when that leaves nothing
/// or a leading digit; a keyword gets a trailing '_'. E.g. the namespace that
/// `ssdc compile` derives from an output file's stem.
std::string cppIdentifierFor(const std::string &name, const std::string &prefix);

/// Writes the header for `package` into `out`. An invalid namespace, or
/// names that collide once made into C++ identifiers, is an InvalidArgument
/// status; a malformed package (bad grid expression) an Internal one.
Status generateCppHeader(const pkg::Package &package, const CppHeaderOptions &options,
                         std::string &out);

} // namespace ssdc

#endif // SSDC_COMPILER_CPPHEADER_H
