// A FIFO of fixed capacity in one allocation, for queues whose bound is known when they are
// made (a VM's arrivals: at most one per input-ring slot plus one per ingress buffer). Unlike
// std::deque it never allocates after construction, which kept the hairpin path in malloc.
#pragma once

#include <bit>
#include <cstddef>
#include <stdexcept>
#include <vector>

namespace smartnic::detail {

template <class T>
class FixedQueue {
 public:
  explicit FixedQueue(std::size_t capacity)
      : slots_(std::bit_ceil(capacity == 0 ? 1 : capacity)), mask_(slots_.size() - 1), capacity_(capacity) {}

  bool empty() const { return head_ == tail_; }
  std::size_t size() const { return tail_ - head_; }
  // The caller's bound was wrong: a logic error, not back-pressure.
  void push_back(const T& v) {
    if (size() == capacity_) throw std::logic_error("FixedQueue: pushed beyond its capacity");
    slots_[tail_++ & mask_] = v;
  }
  const T& front() const { return slots_[head_ & mask_]; }
  void pop_front() { ++head_; }
  // i-th element from the front (0 = front()).
  const T& operator[](std::size_t i) const { return slots_[(head_ + i) & mask_]; }

 private:
  std::vector<T> slots_;
  std::size_t mask_;  // slots_.size() - 1, kept: the size of a 6-byte element is a division
  std::size_t capacity_;
  std::size_t head_ = 0, tail_ = 0;  // free-running
};

}  // namespace smartnic::detail
