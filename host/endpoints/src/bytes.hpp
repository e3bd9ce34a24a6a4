// Big-endian field access for the endpoint sources (private header).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace smartnic::endpoints::detail {

inline std::uint16_t be16(std::span<const std::byte> b, std::size_t at) {
  return static_cast<std::uint16_t>((std::to_integer<unsigned>(b[at]) << 8) |
                                    std::to_integer<unsigned>(b[at + 1]));
}
inline std::uint32_t be32(std::span<const std::byte> b, std::size_t at) {
  return (std::uint32_t{be16(b, at)} << 16) | be16(b, at + 2);
}
inline void put16(std::span<std::byte> b, std::size_t at, std::uint16_t v) {
  b[at] = std::byte(v >> 8);
  b[at + 1] = std::byte(v & 0xff);
}
inline void put32(std::span<std::byte> b, std::size_t at, std::uint32_t v) {
  put16(b, at, static_cast<std::uint16_t>(v >> 16));
  put16(b, at + 2, static_cast<std::uint16_t>(v & 0xffff));
}
inline std::uint32_t le32(std::span<const std::byte> b, std::size_t at) {
  return std::to_integer<std::uint32_t>(b[at]) | (std::to_integer<std::uint32_t>(b[at + 1]) << 8) |
         (std::to_integer<std::uint32_t>(b[at + 2]) << 16) |
         (std::to_integer<std::uint32_t>(b[at + 3]) << 24);
}
inline void putle32(std::span<std::byte> b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = std::byte((v >> (8 * i)) & 0xff);
}
inline void putle16(std::span<std::byte> b, std::size_t at, std::uint16_t v) {
  b[at] = std::byte(v & 0xff);
  b[at + 1] = std::byte(v >> 8);
}

}  // namespace smartnic::endpoints::detail
