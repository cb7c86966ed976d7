//===- ConfigSpec.cpp - the NAME=V,... syntax of a tuning config ----------===//
#include "ssdc/Runtime/ConfigSpec.h"

#include <cerrno>
#include <cstdlib>

namespace ssdc {
namespace {

std::string trim(const std::string &text) {
  size_t begin = text.find_first_not_of(' ');
  if (begin == std::string::npos)
    return "";
  return text.substr(begin, text.find_last_not_of(' ') + 1 - begin);
}

} // namespace

Status parseConfigSpec(const std::string &spec, std::vector<ConfigAssignment> &out) {
  out.clear();
  size_t start = 0;
  while (true) {
    size_t end = spec.find(',', start);
    std::string item = spec.substr(start, end == std::string::npos ? end : end - start);
    size_t equals = item.find('=');
    ConfigAssignment assignment;
    if (equals != std::string::npos)
      assignment.name = trim(item.substr(0, equals));
    if (assignment.name.empty())
      return invalidArgument("config '" + spec + "' is not NAME=VALUE,...");
    std::string text = trim(item.substr(equals + 1));
    char *rest = nullptr;
    errno = 0;
    long long value = std::strtoll(text.c_str(), &rest, 10);
    if (text.empty() || *rest != '\0' || errno != 0)
      return invalidArgument("config value for '" + assignment.name + "' is '" + text +
                             "', not a 64-bit integer");
    assignment.value = value;
    for (const ConfigAssignment &earlier : out)
      if (earlier.name == assignment.name)
        return invalidArgument("config '" + spec + "' names '" + assignment.name + "' twice");
    out.push_back(std::move(assignment));
    if (end == std::string::npos)
      return okStatus();
    start = end + 1;
  }
}

} // namespace ssdc
