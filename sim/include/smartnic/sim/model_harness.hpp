// Clock, reset and tracing for any Verilated top with `ap_clk` and active-low `ap_rst_n`
// (the Vitis RTL kernel convention), driving attached ClockedModels in lock-step.
//
// A header-only template because Verilated classes share no base class; it is small and the
// bus models it drives are not templated. Include it only where the Verilated header is
// included anyway (Harness's .cpp, tests with their own fixtures).
#pragma once

#include <verilated.h>
#include <verilated_fst_c.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "smartnic/sim/clocked.hpp"

namespace smartnic::sim {

template <class Top>
class ModelHarness {
 public:
  explicit ModelHarness(double clock_mhz = 250.0)
      : ctx_(std::make_unique<VerilatedContext>()),
        half_period_ps_(static_cast<std::uint64_t>(std::llround(500'000.0 / clock_mhz))) {
    if (half_period_ps_ == 0) throw std::invalid_argument("ModelHarness: clock too fast");
    // Must precede model construction for the trace code to be able to attach later.
    ctx_->traceEverOn(true);
    top_ = std::make_unique<Top>(ctx_.get(), "TOP");
    top_->ap_clk = 0;
    top_->ap_rst_n = 0;
    top_->eval();
  }
  ~ModelHarness() {
    close_fst();  // before the model it traces
    // Verilator 5.006 removes a model's scopes (which assertions, $display and DPI create)
    // from the context of the CALLING THREAD (~VerilatedScope uses Verilated::threadContextp()),
    // not from the model's own. That thread pointer is only set when a context is constructed,
    // so after model B was made and destroyed in this thread, destroying model A locks a mutex
    // inside B's freed context: a hang (tests/control, several SimDevices in one process).
    // Point this thread at our own context while the model is torn down, then forget it, so no
    // thread is left pointing at a context about to be freed.
    use_context();
    top_->final();
    top_.reset();
    Verilated::threadContextp(nullptr);
  }
  ModelHarness(const ModelHarness&) = delete;
  ModelHarness& operator=(const ModelHarness&) = delete;

  Top& top() { return *top_; }
  VerilatedContext& context() { return *ctx_; }

  // Models are called in the order added; the harness does not own them.
  void add(ClockedModel& m) { models_.push_back(&m); }

  // Hold ap_rst_n low for `cycles` (Vitis asks for at least 16 at the kernel clock), with every
  // model reset to idle, then release it.
  void reset(unsigned cycles = 16) {
    use_context();
    top_->ap_rst_n = 0;
    for (auto* m : models_) m->reset();
    top_->eval();
    for (unsigned i = 0; i < cycles; ++i) tick();
    top_->ap_rst_n = 1;
    top_->eval();
  }

  // One clock cycle: sample (outputs settled), rising edge, drive, falling edge.
  void tick() {
    use_context();  // assertion failures are reported to the calling thread's context
    for (auto* m : models_) m->sample(cycle_);
    top_->ap_clk = 1;
    top_->eval();
    ctx_->timeInc(half_period_ps_);
    if (fst_) fst_->dump(ctx_->time());
    for (auto* m : models_) m->drive(cycle_);
    top_->ap_clk = 0;
    top_->eval();
    ctx_->timeInc(half_period_ps_);
    if (fst_) fst_->dump(ctx_->time());
    ++cycle_;
  }

  void run(std::uint64_t cycles) {
    for (std::uint64_t i = 0; i < cycles; ++i) tick();
  }

  // Clock until pred() is true (checked before each cycle); false if `max_cycles` ran out.
  template <class Pred>
  bool run_until(Pred&& pred, std::uint64_t max_cycles) {
    for (std::uint64_t i = 0; i < max_cycles; ++i) {
      if (pred()) return true;
      tick();
    }
    return pred();
  }

  std::uint64_t cycle() const { return cycle_; }
  std::uint64_t time_ps() const { return ctx_->time(); }
  std::uint64_t period_ps() const { return 2 * half_period_ps_; }

  // Models verilated with TRACE_FST can write waveforms; others compile without the FST code.
  static constexpr bool kCanTrace = requires(Top& t, VerilatedFstC* f) { t.trace(f, 1); };

  // Waveforms of the whole design from now on. Throws if the model was built without tracing.
  void open_fst(const std::string& path, int depth = 99) {
    close_fst();
    if constexpr (kCanTrace) {
      auto t = std::make_unique<FstTracer<Top>>();
      top_->trace(&t->fst, depth);
      t->fst.open(path.c_str());
      if (!t->fst.isOpen()) throw std::runtime_error("cannot open FST trace '" + path + "'");
      fst_ = std::move(t);
      fst_->dump(ctx_->time());
    } else {
      throw std::runtime_error("model built without TRACE_FST: cannot write '" + path + "'");
    }
  }
  void close_fst() { fst_.reset(); }

 private:
  // Make this model's context the calling thread's (the model may be clocked by a thread
  // other than the one that built it, e.g. a control-socket server thread).
  void use_context() {
    if (Verilated::threadContextp() != ctx_.get()) Verilated::threadContextp(ctx_.get());
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::uint64_t half_period_ps_;
  std::unique_ptr<Top> top_;
  // Type-erased so that VerilatedFstC (and its runtime code) is only needed by traced models.
  struct Tracer {
    virtual ~Tracer() = default;
    virtual void dump(std::uint64_t time) = 0;
  };
  template <class T>  // T only makes the type dependent: instantiated for traced models alone
  struct FstTracer final : Tracer {
    VerilatedFstC fst;
    ~FstTracer() override { fst.close(); }
    void dump(std::uint64_t time) override { fst.dump(time); }
  };
  std::unique_ptr<Tracer> fst_;
  std::vector<ClockedModel*> models_;
  std::uint64_t cycle_ = 0;
};

}  // namespace smartnic::sim
