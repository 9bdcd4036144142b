// VectorQueue: a double-ended queue in one vector, for the model's many short queues.
//
// A person holds a dozen queues (tasks by kind, unanswered chat), most of them empty or
// holding one or two items; a std::deque allocates a 512-byte block and a map even when
// empty (576 bytes each in libstdc++), this holds nothing until the first push. The
// elements live in [head, end) of one vector: pop_front advances the head, and the vector
// is compacted when the head passes half of it, so a queue that empties and refills
// reuses its storage.
//
// Like a vector, and unlike a deque, any push may move the elements: do not keep a
// reference or pointer to an element across a push to the same queue (the model does not).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace clawsim::model {

template <class T>
class VectorQueue {
 public:
  using iterator = typename std::vector<T>::iterator;
  using const_iterator = typename std::vector<T>::const_iterator;

  bool empty() const { return head_ == items_.size(); }
  size_t size() const { return items_.size() - head_; }
  T& front() { return items_[head_]; }
  const T& front() const { return items_[head_]; }
  T& operator[](size_t i) { return items_[head_ + i]; }
  const T& operator[](size_t i) const { return items_[head_ + i]; }
  iterator begin() { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  iterator end() { return items_.end(); }
  const_iterator begin() const { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  const_iterator end() const { return items_.end(); }

  void push_back(const T& x) { items_.push_back(x); }
  void push_front(const T& x) {
    if (head_ > 0) {
      items_[--head_] = x;
    } else {
      items_.insert(items_.begin(), x);
    }
  }
  void pop_front() {
    ++head_;
    Settle();
  }
  iterator erase(iterator it) {
    if (it == begin()) {
      pop_front();
      return begin();
    }
    return items_.erase(it);
  }
  void clear() {
    items_.clear();
    head_ = 0;
  }
  // Heap bytes held, for memory reports.
  size_t bytes_reserved() const { return items_.capacity() * sizeof(T); }

 private:
  // An empty queue starts over at the front; a head past half the vector is compacted away.
  void Settle() {
    if (head_ == items_.size()) {
      if (items_.capacity() > kKeptCapacity) {
        std::vector<T>().swap(items_);  // a spike's storage goes back
      } else {
        items_.clear();
      }
      head_ = 0;
    } else if (head_ >= 8 && head_ * 2 >= items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

  static constexpr size_t kKeptCapacity = 16;  // an emptied queue keeps storage up to this many
  std::vector<T> items_;
  uint32_t head_ = 0;
};

}  // namespace clawsim::model
