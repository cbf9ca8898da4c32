// The repair lifecycle (issue 3): create, read, list, edit, move through the workflow, customer approval,
// materials, notes, log; units; technicians and schedules; dashboard figures. Source of the rules:
// PRODUCT.md "The repair workflow" and "Pricing", API.md "Repairs", "Users, customers, units",
// "Technicians and schedules", "Figures for the dashboards".
// Every write is one transaction: the change, its repair-log entry (status moves) and one event row.
// Errors, first failing wins: 404 outside the caller's scope, 403 not allowed, 400 invalid field,
// 409 workflow conflict or stale version.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/page.h"
#include "domain/pricing.h"
#include "domain/repair_status.h"
#include "policy/actor.h"
#include "services/credentials.h"
#include "services/deps.h"
#include "storage/records.h"
#include "storage/repairs_repository.h"

namespace portico::services {

/// A repair as one caller sees it: the record, its estimate and what this caller may do next.
struct RepairView {
  storage::RepairRecord repair;
  domain::Cents estimated_cost = 0;
  std::vector<domain::RepairStatus> allowed_moves;  // via POST /status
  /// The allowed moves whose notes are their reason and may not be empty (domain::MoveRequiresNotes).
  std::vector<domain::RepairStatus> moves_needing_reason;
  bool can_approve = false;                         // via POST /approval
  /// The caller's approval limit on the repair's customer allows approving the estimate (issue 10).
  bool within_approval_limit = true;
};

struct UnitView {
  storage::UnitRecord unit;
  domain::Cents next_price = 0;  // labour price of the unit's next repair
};

struct NewRepair {
  CustomerId customer;
  std::optional<std::string> unit_number;
  std::optional<UnitId> unit;
  std::string description;
  std::string damage_type;
  std::int64_t priority = 3;
};

template <class T>
using Nullable = std::optional<std::optional<T>>;  // absent / null / value

struct RepairPatch {
  std::optional<std::int64_t> version;
  std::optional<std::string> description, damage_type, repair_date;
  std::optional<std::int64_t> priority;
  Nullable<bool> drilled_before_repair;
  Nullable<double> windshield_temperature;
  Nullable<std::string> windshield_temperature_unit;
  Nullable<std::string> resin_viscosity;
  Nullable<std::int64_t> technician_id;
  Nullable<std::string> price_override;  // money string
  /// Names of the fields present, for the permission check.
  std::vector<std::string> present;
};

struct NewMaterial {
  std::string material_type;
  double quantity = 0;
  std::string unit_cost;  // money string
  /// Issue 12: a part of the inventory; then material_type and unit_cost come from the part and the
  /// quantity is taken from its stock in the same transaction.
  std::optional<std::int64_t> part_id = std::nullopt;
};

struct TechnicianView {
  storage::UserRecord user;
  std::int64_t open_repairs = 0;
  std::int64_t completed_repairs = 0;
};

/// Called after a transaction that wrote an event commits (live updates wake up here), with that event.

class RepairService {
 public:
  RepairService(Deps deps, EventPublisher publish = {}) : deps_(deps), publish_(std::move(publish)) {}
  void SetPublisher(EventPublisher publish) { publish_ = std::move(publish); }

  RepairView Create(const policy::Actor& actor, const NewRepair& in);
  RepairView Get(const policy::Actor& actor, RepairId id);
  PageOf<RepairView> List(const policy::Actor& actor, const storage::RepairFilter& filter, const PageRequest& page);
  RepairView Update(const policy::Actor& actor, RepairId id, const RepairPatch& patch);
  /// POST /status. `status` is the wire name (400 if unknown).
  RepairView Move(const policy::Actor& actor, RepairId id, const std::string& status, const std::string& notes);
  /// POST /approval (customer approver, PENDING).
  RepairView Approve(const policy::Actor& actor, RepairId id, bool approved, const std::string& notes);

  std::vector<storage::LogEntry> Log(const policy::Actor& actor, RepairId id);
  std::vector<storage::MaterialRecord> Materials(const policy::Actor& actor, RepairId id);
  storage::MaterialRecord AddMaterial(const policy::Actor& actor, RepairId id, const NewMaterial& request);
  void RemoveMaterial(const policy::Actor& actor, RepairId id, std::int64_t material_id);
  std::vector<storage::NoteRecord> Notes(const policy::Actor& actor, RepairId id);
  /// `visibility` "internal" or "customer"; empty: the policy's default for the actor.
  storage::NoteRecord AddNote(const policy::Actor& actor, RepairId id, const std::string& body,
                              const std::string& visibility);

  PageOf<UnitView> Units(const policy::Actor& actor, std::optional<CustomerId> customer,
                         const std::optional<std::string>& q, const PageRequest& page);
  UnitView Unit(const policy::Actor& actor, UnitId id);
  UnitView CreateUnit(const policy::Actor& actor, CustomerId customer, const std::string& unit_number,
                      const std::string& description);
  UnitView ReplaceUnit(const policy::Actor& actor, UnitId id);

  PageOf<TechnicianView> Technicians(const policy::Actor& actor, const PageRequest& page);
  std::vector<storage::ScheduleEntry> Schedule(const policy::Actor& actor, UserId technician,
                                               const std::optional<std::string>& from,
                                               const std::optional<std::string>& to);
  storage::ScheduleEntry AddSchedule(const policy::Actor& actor, UserId technician, const std::string& date,
                                     const std::string& start_time, const std::string& end_time, bool is_available,
                                     const std::string& notes);

 private:
  RepairView View(const policy::Actor& actor, storage::RepairRecord r, const domain::PricingSettings& pricing) const;
  domain::PricingSettings Pricing(storage::Connection& c, TenantId tenant) const;
  storage::RepairRecord Load(storage::Connection& c, const policy::Actor& actor, RepairId id) const;
  /// Records one event in the caller's transaction; returns it (with its id).
  storage::EventRecord Emit(storage::Connection& c, const policy::Actor& actor, const storage::RepairRecord& r,
                            const char* type, std::string data, bool internal = false);
  /// After commit: hands the event to the publisher.
  void Published(const storage::EventRecord& event);

  Deps deps_;
  EventPublisher publish_;
};

/// Validates and normalises a repair's description etc.; shared by create and import.
/// Field errors: description (1..5000 chars), damage_type (<= 200), priority (1..4), unit_number (1..50).
FieldErrors ValidateRepairFields(const std::string& description, const std::string& damage_type,
                                 std::int64_t priority);

}  // namespace portico::services
