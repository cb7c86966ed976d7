//===- CommandOptions.h - options of one `ssdc` subcommand -----*- C++ -*-===//
//
// Each subcommand constructs its llvm::cl options inside its function, so
// that one binary can hold several commands with options of the same name.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_LIB_TOOLS_COMMANDOPTIONS_H
#define SSDC_LIB_TOOLS_COMMANDOPTIONS_H

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/CommandLine.h"

#include <memory>

namespace ssdc {

/// llvm::cl keeps every option it has seen in a global registry and never
/// drops one by itself. This command's options live on its stack, so they
/// leave the registry when it returns, which also lets one process run the
/// command more than once (as the tests do).
class OptionRegistration {
public:
  template <typename... Options>
  explicit OptionRegistration(Options &...registered) : options{std::addressof(registered)...} {}
  ~OptionRegistration() {
    for (llvm::cl::Option *option : llvm::reverse(options))
      option->removeArgument();
  }

private:
  llvm::SmallVector<llvm::cl::Option *> options;
};

} // namespace ssdc

#endif // SSDC_LIB_TOOLS_COMMANDOPTIONS_H
