#include "services/login_throttle.h"

#include "storage/throttle_repository.h"

namespace portico::services {

bool LoginThrottle::Reserve(const std::string& account, const std::string& address, UnixSeconds now) {
  auto tx = db_.Write();
  // Both or neither: a refused address takes the account's reservation back with the rollback.
  if (!storage::ReserveAttempt(tx->conn(), AccountKey(account), kAccountLimit, kWindowSeconds, now)) return false;
  if (!storage::ReserveAttempt(tx->conn(), AddressKey(address), kAddressLimit, kWindowSeconds, now)) return false;
  if (++reservations_ % 256 == 0) storage::PruneThrottle(tx->conn(), now - kWindowSeconds);
  tx->Commit();
  return true;
}

void LoginThrottle::Failed(const std::string& account, const std::string& address, UnixSeconds now) {
  auto tx = db_.Write();
  storage::SettleFailure(tx->conn(), AccountKey(account), kAccountLimit, kWindowSeconds, now);
  storage::SettleFailure(tx->conn(), AddressKey(address), kAddressLimit, kWindowSeconds, now);
  tx->Commit();
}

void LoginThrottle::Succeeded(storage::Connection& c, const std::string& account, const std::string& address) {
  storage::SettleSuccess(c, AccountKey(account));
  storage::SettleSuccess(c, AddressKey(address));
}

}  // namespace portico::services
