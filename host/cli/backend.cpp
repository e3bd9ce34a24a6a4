#include "backend.hpp"

#include <boost/program_options.hpp>

#if defined(SMARTNIC_HAVE_BACKEND) && __has_include(<smartnic/backend.hpp>)
#include <smartnic/backend.hpp>
#define SMARTNIC_USE_FACTORY 1
#endif
#if defined(SMARTNIC_HAVE_SIM) && __has_include(<smartnic/sim_device.hpp>)
#include <smartnic/sim_device.hpp>
#define SMARTNIC_SIM_AVAILABLE 1
#endif

namespace po = boost::program_options;

namespace smartnic::cli {

po::options_description backend_options(BackendArgs& a) {
  po::options_description o("device options");
  o.add_options()
      ("backend", po::value(&a.kind)->default_value("sim"), "device backend: sim (Verilator model) or xrt (Alveo card)")
      ("device", po::value(&a.device)->default_value("0"), "xrt: card index or PCIe BDF (0000:3b:00.1)")
      ("xclbin", po::value(&a.xclbin), "xrt: the linked design to load")
      ("kernel", po::value(&a.kernel)->default_value("smartnic_top"), "xrt: kernel name in the xclbin")
      ("clock-mhz", po::value(&a.clock_mhz)->default_value(250.0), "sim: NIC clock")
      ("mem-latency-ns", po::value(&a.mem_latency_ns)->default_value(1000), "sim: host memory read latency")
      ("sim-seed", po::value(&a.seed)->default_value(1), "sim: random seed of the simulator")
      ("trace", po::value(&a.trace), "sim: write an FST waveform to this file")
      ("pcap", po::value(&a.pcap), "sim: write the frames leaving the network port to this pcap file")
      ("fast-model", po::bool_switch(&a.fast_model), "sim: the fast NIC model, without the RTL's assertions (about 1.7x faster; the default model checks them)");
  return o;
}

OpenedBackend open_backend(const BackendArgs& a) {
  OpenedBackend out;
#ifdef SMARTNIC_SIM_AVAILABLE
  SimConfig sim;
  sim.clock_mhz = a.clock_mhz;
  sim.mem_read_latency_ns = a.mem_latency_ns;
  sim.seed = a.seed;
  sim.fst_path = a.trace;
  sim.pcap_path = a.pcap;
  sim.assertions = !a.fast_model;
#endif
#ifdef SMARTNIC_USE_FACTORY
  BackendOptions opt;
  opt.kind = a.kind;
  opt.sim = sim;
  opt.xrt.device = a.device;
  opt.xrt.xclbin = a.xclbin;
  opt.xrt.kernel = a.kernel;
  out.device = open_device(opt);
#elif defined(SMARTNIC_SIM_AVAILABLE)
  if (a.kind != "sim") {
    throw DeviceError("device backend '" + a.kind + "' is not built into this program; available backends: sim");
  }
  out.device = std::make_unique<SimDevice>(sim);
#else
  throw DeviceError("this build has no device backend (the driver was not found at build time): rebuild with the driver");
#endif
#ifdef SMARTNIC_SIM_AVAILABLE
  if (auto* s = dynamic_cast<SimDevice*>(out.device.get())) {
    out.take_port_frames = [s] { return static_cast<std::uint64_t>(s->take_tx_frames().size()); };
  }
#endif
  return out;
}

}  // namespace smartnic::cli
