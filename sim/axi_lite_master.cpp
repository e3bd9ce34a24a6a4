#include "smartnic/sim/axi_lite_master.hpp"

#include <cstdio>
#include <string>
#include <utility>

#include "smartnic/device.hpp"

namespace smartnic::sim {

namespace {
std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%04x", v);
  return buf;
}
constexpr const char* kRespNames[] = {"OKAY", "EXOKAY", "SLVERR", "DECERR"};
}  // namespace

AxiLiteMaster::AxiLiteMaster(const AxiLitePorts& ports, std::function<void()> tick,
                             std::uint32_t timeout_cycles)
    : p_(ports), tick_(std::move(tick)), timeout_(timeout_cycles) {
  reset();
}

void AxiLiteMaster::reset() {
  op_ = Op::kIdle;
  *p_.awvalid = *p_.wvalid = *p_.arvalid = 0;
  *p_.bready = *p_.rready = 0;
  *p_.awaddr = *p_.araddr = 0;
  *p_.wdata = 0;
  *p_.wstrb = 0;
}

void AxiLiteMaster::run(const char* what, std::uint32_t offset) {
  if (offset % 4 != 0 || offset > 0xFFFF)
    throw DeviceError(std::string("register ") + what + " at offset " + hex32(offset) +
                      ": offset must be 4-byte aligned and below 0x10000");
  addr_ = offset;
  addr_done_ = data_done_ = resp_done_ = false;
  // The request becomes visible on the bus after the next edge, as from a flip-flop.
  for (std::uint32_t i = 0; i <= timeout_ + 1; ++i) {
    tick_();
    if (resp_done_) {
      op_ = Op::kIdle;
      if (resp_ != 0)
        throw DeviceError(std::string("register ") + what + " at offset " + hex32(offset) +
                          " answered " + kRespNames[resp_ & 3]);
      return;
    }
  }
  // Abandon the transaction so that the next one starts clean; the design is probably hung.
  const std::string stuck = !addr_done_ ? (op_ == Op::kRead ? "ARREADY" : "AWREADY")
                            : (op_ == Op::kWrite && !data_done_) ? "WREADY"
                            : (op_ == Op::kRead ? "RVALID" : "BVALID");
  reset();
  throw DeviceError(std::string("register ") + what + " at offset " + hex32(offset) +
                    " timed out after " + std::to_string(timeout_) + " cycles waiting for " + stuck);
}

std::uint32_t AxiLiteMaster::read32(std::uint32_t offset) {
  op_ = Op::kRead;
  run("read", offset);
  ++reads_;
  return rdata_;
}

void AxiLiteMaster::write32(std::uint32_t offset, std::uint32_t value) {
  op_ = Op::kWrite;
  wdata_ = value;
  run("write", offset);
  ++writes_;
}

void AxiLiteMaster::sample(std::uint64_t) {
  if (op_ == Op::kRead) {
    if (*p_.arvalid && *p_.arready) addr_done_ = true;
    if (*p_.rvalid && *p_.rready) {
      rdata_ = *p_.rdata;
      resp_ = *p_.rresp;
      resp_done_ = true;
    }
  } else if (op_ == Op::kWrite) {
    if (*p_.awvalid && *p_.awready) addr_done_ = true;
    if (*p_.wvalid && *p_.wready) data_done_ = true;
    if (*p_.bvalid && *p_.bready) {
      resp_ = *p_.bresp;
      resp_done_ = true;
    }
  }
}

void AxiLiteMaster::drive(std::uint64_t) {
  const bool rd = op_ == Op::kRead && !resp_done_;
  const bool wr = op_ == Op::kWrite && !resp_done_;
  *p_.arvalid = rd && !addr_done_;
  *p_.araddr = static_cast<std::uint16_t>(addr_);
  *p_.rready = rd;
  *p_.awvalid = wr && !addr_done_;
  *p_.awaddr = static_cast<std::uint16_t>(addr_);
  *p_.wvalid = wr && !data_done_;
  *p_.wdata = wdata_;
  *p_.wstrb = 0xF;
  *p_.bready = wr;
}

}  // namespace smartnic::sim
