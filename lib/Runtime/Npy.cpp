//===- Npy.cpp - NumPy .npy files for host buffers ------------------------===//
//
// The format: the magic "\x93NUMPY", a major and minor version byte, the
// header length (2 bytes in version 1, 4 in versions 2 and 3), then a Python
// dict literal {'descr': ..., 'fortran_order': ..., 'shape': (...), } padded
// with spaces to a multiple of 64 bytes, then the raw elements.
//
//===----------------------------------------------------------------------===//
#include "ssdc/Target/Host/Npy.h"

#include "ssdc/Runtime/Launch.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace ssdc;
using namespace ssdc::host;

static constexpr llvm::StringLiteral kMagic("\x93NUMPY");

llvm::StringRef ssdc::host::npyDescr(pkg::ElemType type) {
  switch (type) {
  case pkg::ElemType::F32:
    return "<f4";
  case pkg::ElemType::F16:
    return "<f2";
  case pkg::ElemType::BF16:
    return "<u2";
  case pkg::ElemType::I32:
    return "<i4";
  case pkg::ElemType::I64:
    return "<i8";
  }
  llvm_unreachable("every element type has a descr");
}

/// The value of `key` in a header dict: the text after `'key':` up to the
/// next top-level comma or the closing brace.
static std::optional<llvm::StringRef> headerValue(llvm::StringRef header, llvm::StringRef key) {
  std::string quoted = ("'" + key + "'").str();
  size_t at = header.find(quoted);
  if (at == llvm::StringRef::npos)
    return std::nullopt;
  llvm::StringRef rest = header.drop_front(at + quoted.size()).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  rest = rest.ltrim();
  int depth = 0;
  for (size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    if (c == '(')
      ++depth;
    else if (c == ')')
      --depth;
    else if ((c == ',' && depth == 0) || c == '}')
      return rest.take_front(i).trim();
  }
  return std::nullopt;
}

llvm::Expected<HostBuffer> ssdc::host::readNpy(llvm::StringRef path, pkg::ElemType type) {
  auto fail = [&](const llvm::Twine &why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), path + ": " + why);
  };
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!file)
    return fail("cannot read: " + file.getError().message());
  llvm::StringRef bytes = (*file)->getBuffer();

  if (!bytes.starts_with(kMagic) || bytes.size() < kMagic.size() + 4)
    return fail("not a .npy file (no \\x93NUMPY magic)");
  uint8_t major = bytes[kMagic.size()];
  size_t lengthBytes = major == 1 ? 2 : 4;
  if (major < 1 || major > 3)
    return fail("unsupported .npy version " + llvm::Twine(major));
  size_t prefix = kMagic.size() + 2 + lengthBytes;
  if (bytes.size() < prefix)
    return fail("truncated header");
  uint64_t headerLength = 0;
  for (size_t i = 0; i < lengthBytes; ++i)
    headerLength |= uint64_t(uint8_t(bytes[kMagic.size() + 2 + i])) << (8 * i);
  if (bytes.size() - prefix < headerLength)
    return fail("truncated header");
  llvm::StringRef header = bytes.substr(prefix, headerLength);

  std::optional<llvm::StringRef> descr = headerValue(header, "descr");
  std::optional<llvm::StringRef> fortran = headerValue(header, "fortran_order");
  std::optional<llvm::StringRef> shapeText = headerValue(header, "shape");
  if (!descr || !fortran || !shapeText)
    return fail("malformed header (needs 'descr', 'fortran_order' and 'shape'): " + header);
  llvm::StringRef dtype = descr->trim("'\"");
  if (dtype != npyDescr(type))
    return fail(llvm::formatv("has dtype '{0}' but the buffer holds {1}, which needs '{2}'", dtype,
                              elemTypeName(type), npyDescr(type))
                    .str());

  llvm::SmallVector<llvm::StringRef> dims;
  shapeText->trim("() ").split(dims, ',', -1, /*KeepEmpty=*/false);
  int64_t count = 1;
  for (llvm::StringRef dim : dims) {
    int64_t size;
    if (dim.trim().getAsInteger(10, size) || size < 0)
      return fail("malformed shape " + *shapeText);
    if (size != 0 && count > std::numeric_limits<int64_t>::max() / 8 / size)
      return fail("shape " + *shapeText + " is too large");
    count *= size;
  }
  if (*fortran != "False" && dims.size() > 1)
    return fail("is in Fortran order; write it in C order (np.ascontiguousarray)");

  HostBuffer buffer(type, count);
  llvm::StringRef data = bytes.drop_front(prefix + headerLength);
  if (data.size() != buffer.byteSize())
    return fail(llvm::formatv("holds {0} data bytes but shape {1} of {2} needs {3}", data.size(),
                              *shapeText, dtype, buffer.byteSize())
                    .str());
  std::memcpy(buffer.data(), data.data(), data.size());
  return buffer;
}

llvm::Error ssdc::host::writeNpy(llvm::StringRef path, const HostBuffer &buffer) {
  std::string header = llvm::formatv("{{'descr': '{0}', 'fortran_order': False, 'shape': ({1},), }",
                                     npyDescr(buffer.elementType()), buffer.size())
                           .str();
  // Magic, version, 2-byte length, header and a newline fill a multiple of 64.
  size_t unpadded = kMagic.size() + 2 + 2 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');

  std::error_code error;
  llvm::raw_fd_ostream os(path, error, llvm::sys::fs::OF_None);
  if (error)
    return llvm::createStringError(error, "cannot write " + path + ": " + error.message());
  os << kMagic << '\x01' << '\x00' << char(header.size() & 0xff) << char(header.size() >> 8)
     << header;
  os.write(static_cast<const char *>(buffer.data()), buffer.byteSize());
  os.close();
  if (os.has_error())
    return llvm::createStringError(os.error(), "cannot write " + path + ": " +
                                                   os.error().message());
  return llvm::Error::success();
}
