#ifndef ALGLAB_ENDPOINTS_LIFETIME_TOKEN_H
#define ALGLAB_ENDPOINTS_LIFETIME_TOKEN_H

// Transaction callbacks may outlive the component that started them (an Application disposed
// mid-transaction). Components own a LifetimeToken and capture Weak() in their callbacks;
// a callback whose token expired does nothing.

#include <memory>

namespace alglab {

class LifetimeToken {
 public:
  std::weak_ptr<const int> Weak() const { return m_token; }

 private:
  std::shared_ptr<const int> m_token = std::make_shared<const int>(0);
};

}  // namespace alglab

#endif
