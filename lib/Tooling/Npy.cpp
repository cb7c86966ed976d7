//===- Npy.cpp - NumPy .npy files for host buffers ------------------------===//
//
// The format: the magic "\x93NUMPY", a major and minor version byte, the
// header length (2 bytes in version 1, 4 in versions 2 and 3), then a Python
// dict literal {'descr': ..., 'fortran_order': ..., 'shape': (...), } padded
// with spaces to a multiple of 64 bytes, then the raw elements.
//
//===----------------------------------------------------------------------===//
#include "ssdc/Tooling/Npy.h"

#include "ssdc/Runtime/Launch.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <string_view>
#include <vector>

namespace ssdc {

namespace {

constexpr std::string_view kMagic("\x93NUMPY", 6);

std::string_view trim(std::string_view text, std::string_view characters = " \t\n") {
  size_t first = text.find_first_not_of(characters);
  if (first == std::string_view::npos)
    return {};
  return text.substr(first, text.find_last_not_of(characters) - first + 1);
}

/// The value of `key` in a header dict: the text after `'key':` up to the
/// next top-level comma or the closing brace.
std::optional<std::string_view> headerValue(std::string_view header, const std::string &key) {
  std::string quoted = "'" + key + "'";
  size_t at = header.find(quoted);
  if (at == std::string_view::npos)
    return std::nullopt;
  std::string_view rest = trim(header.substr(at + quoted.size()));
  if (rest.empty() || rest.front() != ':')
    return std::nullopt;
  rest = trim(rest.substr(1));
  int depth = 0;
  for (size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    if (c == '(')
      ++depth;
    else if (c == ')')
      --depth;
    else if ((c == ',' && depth == 0) || c == '}')
      return trim(rest.substr(0, i));
  }
  return std::nullopt;
}

/// Parses a non-negative decimal integer that is all of `text`.
bool parseDimension(std::string_view text, int64_t &out) {
  if (text.empty())
    return false;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || __builtin_mul_overflow(value, int64_t(10), &value) ||
        __builtin_add_overflow(value, int64_t(c - '0'), &value))
      return false;
  }
  out = value;
  return true;
}

} // namespace

const char *npyDescr(pkg::ElemType type) {
  switch (type) {
#define SSDC_ELEMENT_TYPE(Enum, Name, Code, Bytes, IsFloat, CppType, NpyDescr, ...)                \
  case pkg::ElemType::Enum:                                                                        \
    return NpyDescr;
#include "ssdc/Runtime/ElementTypes.def"
  }
  return "?";
}

Status readNpy(const std::string &path, pkg::ElemType type, HostBuffer &out) {
  auto malformed = [&](const std::string &why) { return dataLoss(path + ": " + why); };
  auto unusable = [&](const std::string &why) { return invalidArgument(path + ": " + why); };
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return notFound(path + ": cannot read: " + std::strerror(errno));
  // istream::read, not istreambuf_iterator: libstdc++'s filebuf throws when
  // read(2) fails (a directory: EISDIR), and only istream's functions turn
  // that into badbit instead of an exception out of the tool.
  std::string contents;
  char chunk[1 << 16];
  while (file.read(chunk, sizeof(chunk)) || file.gcount() > 0)
    contents.append(chunk, static_cast<size_t>(file.gcount()));
  if (file.bad())
    return dataLoss(path + ": cannot read: " + std::strerror(errno));
  std::string_view bytes = contents;

  if (bytes.size() < kMagic.size() + 2 || bytes.substr(0, kMagic.size()) != kMagic)
    return malformed("not a .npy file (no \\x93NUMPY magic)");
  auto major = static_cast<uint8_t>(bytes[kMagic.size()]);
  if (major < 1 || major > 3)
    return unusable("unsupported .npy version " + std::to_string(major));
  size_t lengthBytes = major == 1 ? 2 : 4;
  size_t prefix = kMagic.size() + 2 + lengthBytes;
  if (bytes.size() < prefix)
    return malformed("truncated header");
  uint64_t headerLength = 0;
  for (size_t i = 0; i < lengthBytes; ++i)
    headerLength |= uint64_t(uint8_t(bytes[kMagic.size() + 2 + i])) << (8 * i);
  if (bytes.size() - prefix < headerLength)
    return malformed("truncated header");
  std::string_view header = bytes.substr(prefix, headerLength);

  std::optional<std::string_view> descr = headerValue(header, "descr");
  std::optional<std::string_view> fortran = headerValue(header, "fortran_order");
  std::optional<std::string_view> shapeText = headerValue(header, "shape");
  if (!descr || !fortran || !shapeText)
    return malformed("malformed header (needs 'descr', 'fortran_order' and 'shape'): " +
                     std::string(trim(header)));
  std::string dtype(trim(*descr, "'\""));
  std::string wanted = npyDescr(type);
  if (dtype.size() == wanted.size() && dtype[0] == '>' && dtype.substr(1) == wanted.substr(1))
    return unusable("is big-endian ('" + dtype + "'); write it little-endian (a.astype('" + wanted +
                    "'))");
  if (dtype != wanted)
    return unusable("has dtype '" + dtype + "' but the buffer holds " + elemTypeName(type) +
                    ", which needs '" + wanted + "'");

  std::string shape(*shapeText);
  std::string_view dims = trim(*shapeText, "() ");
  int64_t count = 1;
  size_t rank = 0;
  while (!dims.empty()) {
    size_t comma = dims.find(',');
    std::string_view dim = trim(dims.substr(0, comma));
    dims = comma == std::string_view::npos ? std::string_view() : dims.substr(comma + 1);
    if (dim.empty() && dims.empty()) // the trailing comma of "(3,)"
      break;
    int64_t size;
    if (!parseDimension(dim, size))
      return malformed("malformed shape " + shape);
    if (__builtin_mul_overflow(count, size, &count) ||
        count > kMaxRunBufferBytes / int64_t(elemTypeSize(type)))
      return unusable("shape " + shape + " is larger than the " +
                      std::to_string(kMaxRunBufferBytes >> 30) + " GiB `ssdc run` allows a buffer");
    ++rank;
  }
  if (*fortran != "False" && rank > 1)
    return unusable("is in Fortran order; write it in C order (np.ascontiguousarray)");

  std::string_view data = bytes.substr(prefix + headerLength);
  uint64_t needed = uint64_t(count) * elemTypeSize(type);
  if (data.size() != needed)
    return malformed("holds " + std::to_string(data.size()) + " data bytes but shape " + shape +
                     " of " + dtype + " needs " + std::to_string(needed));
  HostBuffer buffer(type, count);
  if (!data.empty()) // an empty buffer's data() may be null, which memcpy must not get
    std::memcpy(buffer.data(), data.data(), data.size());
  out = std::move(buffer);
  return okStatus();
}

Status writeNpy(const std::string &path, const HostBuffer &buffer) {
  std::string header = std::string("{'descr': '") + npyDescr(buffer.elementType()) +
                       "', 'fortran_order': False, 'shape': (" + std::to_string(buffer.size()) +
                       ",), }";
  // Magic, version, 2-byte length, header and a newline fill a multiple of 64.
  size_t unpadded = kMagic.size() + 2 + 2 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');

  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file)
    return invalidArgument("cannot write " + path + ": " + std::strerror(errno));
  file << kMagic << '\x01' << '\x00' << char(header.size() & 0xff) << char(header.size() >> 8)
       << header;
  file.write(static_cast<const char *>(buffer.data()),
             static_cast<std::streamsize>(buffer.byteSize()));
  file.close();
  if (!file)
    return dataLoss("cannot write " + path + ": " + std::strerror(errno));
  return okStatus();
}

} // namespace ssdc
