// The server's side of the control protocol without any socket: owns the bookkeeping around one
// Switch (ring sizes per VM, traffic streams, port frames) and answers requests. Kept apart from
// the socket loop (ControlServer) so tests and `smartnic serve --config` call it directly.
//
// Not thread-safe, like Switch: the server calls handle() and tick() from one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "smartnic/control/json.hpp"
#include "smartnic/switch.hpp"

namespace smartnic::control {

class TrafficGenerator;

struct ServiceOptions {
  // Takes the frames the device sent on its network port since the last call and returns how
  // many there were. The simulator keeps every frame until taken, so a long-running server must
  // drain them; empty = the port is not observable (hardware).
  std::function<std::uint64_t()> take_port_frames;
  // Device time remove_vm waits for the NIC to complete descriptors it already fetched.
  std::chrono::nanoseconds remove_timeout = std::chrono::milliseconds(1);
  std::uint64_t seed = 1;  // traffic generator
};

class ControlService {
 public:
  explicit ControlService(Switch& sw, ServiceOptions options = {});
  ~ControlService();
  ControlService(const ControlService&) = delete;
  ControlService& operator=(const ControlService&) = delete;

  // Answers one request ({"ok":true,"result":...} or {"ok":false,"error":...}); never throws.
  Json handle(const Json& request);
  // Parses one protocol line first; a line that is not a JSON object gets an error answer.
  Json handle_line(std::string_view line);

  // One step of the server loop: sends the traffic due, polls the Switch (doorbells, completions,
  // hairpin delivery; with the simulator this advances the model while work is outstanding),
  // takes what the VMs received (the server stands in for their receive side until real
  // endpoints exist) and drains the port. Returns true while something is in flight or a
  // traffic stream runs, i.e. when the caller should tick again without sleeping.
  bool tick();

  // A "shutdown" request was answered; the server should exit.
  bool shutdown_requested() const { return shutdown_; }
  Switch& switch_() { return sw_; }

 private:
  struct VmInfo {
    unsigned tx_ring_log2;
    unsigned input_ring_log2;
  };
  Json dispatch(const std::string& cmd, const Json& req);
  Json info();
  Json vm_add(const Json& req);
  Json vm_del(const Json& req);
  Json nic_reset(const Json& req);
  Json vm_list();
  Json ip_add(const Json& req);
  Json ip_del(const Json& req);
  Json ip_list();
  Json stats(const Json& req);
  Json table_dump(const Json& req);
  Json traffic_start(const Json& req);
  Json traffic_stop(const Json& req);
  Json send(const Json& req);
  Json vm_json(VmId id) const;
  VmId vm_by_name(const std::string& name) const;

  Switch& sw_;
  ServiceOptions opt_;
  std::unique_ptr<TrafficGenerator> traffic_;
  std::map<VmId, VmInfo> info_;
  std::uint64_t port_frames_ = 0;
  bool shutdown_ = false;
};

}  // namespace smartnic::control
