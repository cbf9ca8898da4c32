#include "services/auth_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <semaphore>
#include <thread>

#include "core/crypto.h"
#include "core/error.h"
#include "services/actor_cache.h"
#include "storage/accounts_repository.h"
#include "storage/customers_repository.h"
#include "storage/identity_epoch.h"
#include "storage/self_service_repository.h"

namespace portico::services {
namespace {

const char* kBadCredentials = "The tenant, e-mail or password is not correct.";

/// A hash to verify against when the user does not exist, so that an unknown e-mail costs as much time
/// as a wrong password and the two cannot be told apart.
const std::string& DummyHash(PasswordHashCost cost) {
  static const std::string kInteractive = HashPassword("portico-dummy-password", PasswordHashCost::kInteractive);
  static const std::string kMin = HashPassword("portico-dummy-password", PasswordHashCost::kMin);
  return cost == PasswordHashCost::kMin ? kMin : kInteractive;
}

/// The actor cache (issue 16; services/actor_cache.h), one per process: its keys are hashes of random
/// session and token values, so the AuthService instances of one process (tests open several databases)
/// never meet in it; each entry is checked against the epoch of the database it is looked up for.
ActorCache& Cache() {
  static ActorCache cache;
  return cache;
}

std::counting_semaphore<256>& HashingSlots() {
  static std::counting_semaphore<256> slots(
      static_cast<std::ptrdiff_t>(std::clamp(static_cast<int>(std::thread::hardware_concurrency()) - 1, 1, 256)));
  return slots;
}

}  // namespace

bool HashingGate::Verify(std::string_view hash, std::string_view password) {
  HashingSlots().acquire();
  bool ok = VerifyPassword(hash, password);
  HashingSlots().release();
  return ok;
}

std::string HashingGate::Hash(std::string_view password, PasswordHashCost cost) {
  HashingSlots().acquire();
  try {
    auto h = HashPassword(password, cost);
    HashingSlots().release();
    return h;
  } catch (...) {
    HashingSlots().release();
    throw;
  }
}

std::string NormaliseEmail(const std::string& email) {
  auto begin = email.find_first_not_of(" \t");
  auto end = email.find_last_not_of(" \t");
  std::string out = begin == std::string::npos ? "" : email.substr(begin, end - begin + 1);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool LooksLikeEmail(const std::string& email) {
  if (email.size() > 254 || email.size() < 3) return false;
  auto at = email.find('@');
  if (at == std::string::npos || at == 0 || at != email.rfind('@') || at + 1 >= email.size()) return false;
  if (email.find_first_of(" \t\r\n<>\"") != std::string::npos) return false;
  auto dot = email.find('.', at + 1);
  return dot != std::string::npos && dot > at + 1 && dot + 1 < email.size();
}

PasswordHashCost AuthService::HashCost() const {
  return deps_.config.password_hash == "min" ? PasswordHashCost::kMin : PasswordHashCost::kInteractive;
}

policy::Actor AuthService::LoadActor(storage::Connection& conn, const storage::UserRecord& user) {
  policy::Actor a;
  a.user = user.id;
  a.tenant = user.tenant;
  a.role = user.role;
  a.name = user.name;
  a.email = user.email;
  a.handle = user.handle;
  a.language = user.language;  // read with the user row: no query of its own
  if (auto t = storage::FindTenant(conn, user.tenant)) {
    a.tenant_slug = t->slug;
    a.tenant_name = t->name;
    a.tenant_default_language = t->branding.default_language;
  }
  if (user.role == domain::Role::kCustomer) {
    for (const auto& g : storage::ListAccessOfUser(conn, user.id)) {
      a.customers.push_back({g.customer, g.customer_name, g.access, g.is_primary_contact, g.approval_limit_cents});
    }
  }
  return a;
}

LoginResult AuthService::Login(const LoginInput& in) {
  const UnixSeconds now = deps_.clock.Now();
  const std::string email = NormaliseEmail(in.email);
  const std::string account_key = in.tenant + "\n" + email;
  // Counted before the password is checked, atomically: concurrent attempts cannot check more than the
  // limit, and a success only takes back its own reservation.
  if (!throttle_.Reserve(account_key, in.client_address, now)) {
    throw Error(ErrorCode::kTooManyRequests, "Too many failed login attempts; try again in 15 minutes.");
  }
  std::optional<storage::UserRecord> user;
  {
    auto tx = deps_.db.Read();
    if (auto tenant = storage::FindTenantBySlug(tx->conn(), in.tenant)) {
      user = storage::FindUserByEmail(tx->conn(), tenant->id, email);
    }
  }
  // Verify outside any transaction: hashing takes ~0.1 s and must not hold a connection. Exactly one hash
  // on every path (unknown user, inactive user, wrong password), so timing tells nothing.
  const bool password_ok = HashingGate::Verify(user ? user->password_hash : DummyHash(HashCost()), in.password);
  const bool ok = user && password_ok && user->is_active;
  if (!ok) {
    throttle_.Failed(account_key, in.client_address, now);
    spdlog::info("login failed tenant={} address={}", in.tenant, in.client_address);
    throw Error(ErrorCode::kUnauthenticated, kBadCredentials);
  }

  LoginResult result;
  result.session_token = RandomToken(32);
  result.auth.csrf_token = RandomToken(32);
  result.auth.kind = AuthKind::kSession;
  result.expires_at = now + deps_.config.session_absolute_hours * 3600;
  auto tx = deps_.db.Write();
  throttle_.Succeeded(tx->conn(), account_key, in.client_address);
  result.auth.session_id = storage::InsertSession(tx->conn(), HashToken(result.session_token), user->id,
                                                 result.auth.csrf_token, now, result.expires_at);
  result.auth.actor = LoadActor(tx->conn(), *user);
  tx->Commit();
  return result;
}

void AuthService::Logout(const AuthContext& auth) {
  if (auth.kind != AuthKind::kSession) return;
  auto tx = deps_.db.Write();
  storage::DeleteSession(tx->conn(), auth.session_id);
  auto event = RecordAuthChanged(tx->conn(), auth.actor.tenant, auth.actor.user, "logout", deps_.clock.Now());
  tx->Commit();
  Publish(event);
}

std::optional<AuthContext> AuthService::AuthenticateSession(const std::string& cookie_value) {
  if (cookie_value.empty() || cookie_value.size() > 128) return std::nullopt;
  const UnixSeconds now = deps_.clock.Now();
  const UnixSeconds idle = deps_.config.session_idle_minutes * 60;
  auto hash = HashToken(cookie_value);
  // Read before the database: a change committed after this read advances it, and the entry stored
  // below with this value is then never used (actor_cache.h).
  const auto epoch = storage::IdentityEpoch(deps_.db);
  if (epoch) {
    if (auto hit = Cache().Find(hash, *epoch)) {
      if (hit->times.expires_at > now && hit->times.last_seen_at + idle > now) {
        if (hit->times.last_seen_at + 60 <= now) {
          auto tx = deps_.db.Write();
          storage::TouchSession(tx->conn(), hit->auth->session_id, now);
          tx->Commit();
          Cache().Touch(hash, now);
        }
        return *hit->auth;
      }
      Cache().Erase(hash);
    }
  }
  AuthContext ctx;
  ActorCache::SessionTimes times;
  bool touch = false;
  {
    auto tx = deps_.db.Read();
    auto found = storage::FindSession(tx->conn(), hash);
    if (!found) return std::nullopt;
    const auto& [session, user] = *found;
    if (!user.is_active || session.expires_at <= now || session.last_seen_at + idle <= now) return std::nullopt;
    ctx.actor = LoadActor(tx->conn(), user);
    ctx.kind = AuthKind::kSession;
    ctx.session_id = session.id;
    ctx.csrf_token = session.csrf_token;
    times = {session.expires_at, session.last_seen_at};
    // Record activity at most once a minute: a write per request would serialise every reader.
    touch = session.last_seen_at + 60 <= now;
  }
  if (touch) {
    auto tx = deps_.db.Write();
    storage::TouchSession(tx->conn(), ctx.session_id, now);
    tx->Commit();
    times.last_seen_at = now;
  }
  if (epoch) Cache().Store(hash, std::make_shared<const AuthContext>(ctx), times, *epoch);
  return ctx;
}

std::optional<AuthContext> AuthService::AuthenticateToken(const std::string& bearer) {
  if (bearer.empty() || bearer.size() > 128) return std::nullopt;
  auto hash = HashToken(bearer);
  const std::string key = "token:" + hash;
  const auto epoch = storage::IdentityEpoch(deps_.db);
  if (epoch) {
    if (auto hit = Cache().Find(key, *epoch)) return *hit->auth;
  }
  auto tx = deps_.db.Read();
  auto found = storage::FindActiveToken(tx->conn(), hash);
  if (!found || !found->second.is_active) return std::nullopt;
  AuthContext ctx;
  ctx.kind = AuthKind::kToken;
  ctx.token_id = found->first.id.value;
  ctx.actor = LoadActor(tx->conn(), found->second);
  if (epoch) Cache().Store(key, std::make_shared<const AuthContext>(ctx), {}, *epoch);
  return ctx;
}

CreatedToken AuthService::CreateToken(const policy::Actor& actor, const std::string& name) {
  if (name.empty() || name.size() > 100) throw Error::Field("name", "Give the token a name of 1 to 100 characters.");
  CreatedToken out;
  out.token = RandomToken(32);
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  out.record.id = storage::InsertToken(tx->conn(), actor.tenant, actor.user, name, HashToken(out.token), now);
  tx->Commit();
  out.record.user = actor.user;
  out.record.name = name;
  out.record.created_at = now;
  return out;
}

std::vector<storage::TokenRecord> AuthService::ListTokens(const policy::Actor& actor) {
  auto tx = deps_.db.Read();
  return storage::ListTokens(tx->conn(), actor.user);
}

void AuthService::RevokeToken(const policy::Actor& actor, TokenId id) {
  const UnixSeconds now = deps_.clock.Now();
  auto tx = deps_.db.Write();
  if (!storage::RevokeToken(tx->conn(), actor.user, id, now)) throw Error::NotFound("No such token.");
  auto event = RecordAuthChanged(tx->conn(), actor.tenant, actor.user, "token_revoked", now);
  tx->Commit();
  Publish(event);
}

}  // namespace portico::services
