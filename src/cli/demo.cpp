#include "cli/demo.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <random>

#include "core/error.h"
#include "import/import_repairs.h"
#include "storage/accounts_repository.h"
#include "storage/customers_repository.h"
#include "storage/repairs_repository.h"

namespace portico::cli {
namespace {

constexpr const char* kSlug = "demo";
constexpr const char* kPassword = "portico-demo";

struct DemoUser {
  const char* email;
  const char* name;
  const char* role;
  const char* access;  // customer users: their access to the demo customers
};

constexpr DemoUser kUsers[] = {
    {"admin@demo.portico.test", "Ada Admin", "admin", nullptr},
    {"manager@demo.portico.test", "Max Manager", "manager", nullptr},
    {"tech@demo.portico.test", "Tess Technician", "technician", nullptr},
    {"tech2@demo.portico.test", "Theo Technician", "technician", nullptr},
    {"approver@demo.portico.test", "Avery Approver", "customer", "approver"},
    {"requester@demo.portico.test", "Riley Requester", "customer", "requester"},
    {"viewer@demo.portico.test", "Vic Viewer", "customer", "viewer"},
};

/// A realistic fleet: the same on every run (fixed seed).
void Generate(importer::RepairImporter& importer) {
  std::mt19937_64 rng(20240501);
  auto pick = [&](auto const& list) { return list[rng() % std::size(list)]; };
  const char* customers[] = {"POLICE", "FIRE DEPARTMENT", "WATER WORKS", "PARKS", "SANITATION", "TRANSIT"};
  const char* reasons[] = {"NORMAL WEAR", "ACCIDENT", "DAMAGE IN OPERATION", "VANDALISM", "WARRANTY", "ROAD CALL",
                           "WINDSHIELD CHIP", "WINDSHIELD CRACK"};
  const char* jobs[] = {"REPAIR", "REPAIR", "REPAIR", "PM"};
  const char* shops[] = {"LIGHT CAR SHOP", "HEAVY EQUIPMENT", "TIRE SHOP", "GLASS BAY"};
  std::int64_t row = 0;
  for (int ci = 0; ci < 6; ++ci) {
    int units = 20 + static_cast<int>(rng() % 30);
    for (int u = 0; u < units; ++u) {
      std::string unit = std::string(1, "SFWPXT"[ci]) + std::to_string(1000 + u * 7 + ci);
      int repairs = 3 + static_cast<int>(rng() % 25);
      for (int k = 0; k < repairs; ++k) {
        importer::ImportedRepair r;
        r.external_ref = "GEN-" + std::to_string(++row);
        r.customer_name = customers[ci];
        r.unit_number = unit;
        r.unit_description = std::string(customers[ci]) + " vehicle";
        std::string reason = pick(reasons);
        r.description = std::string(pick(jobs)) + ": " + reason + " - shop " + pick(shops);
        r.damage_type = reason;
        r.priority = 1 + static_cast<int>(rng() % 4);
        // Two years of history ending 2024-06-30; the newest few are still open.
        int day = static_cast<int>(rng() % 730);
        UnixSeconds t = 1656633600 + static_cast<UnixSeconds>(day) * 86400;  // 2022-07-01
        r.created_date = FormatDate(t);
        r.repair_date = r.created_date;
        r.status = day > 720 ? "IN_PROGRESS" : "COMPLETED";
        r.cost_cents = 2500 + static_cast<std::int64_t>(rng() % 40000);
        importer.Add(r, row);
      }
    }
  }
}

}  // namespace

void RunDemo(Runtime& rt, const DemoOptions& options) {
  bool exists = false;
  {
    auto tx = rt.db->Read();
    exists = storage::FindTenantBySlug(tx->conn(), kSlug).has_value();
  }
  if (!exists) {
    auto tenant = rt.tenants.Create(kSlug, "Portico Demo Fleet Services");
    domain::Branding b = tenant.branding;
    b.company.display_name = "Demo Fleet Services";
    b.company.support_email = "support@demo.portico.test";
    b.company.support_phone = "+1 513 555 0100";
    b.company.support_hours = "Mon-Fri 7:00-18:00";
    b.company.website = "https://portico.example";
    b.colors = {"#0f5c8c", "#2f855a", "#dd6b20", "#f7fafc", "#1a202c"};
    b.portal.welcome_message = "Request repairs, approve work and follow every unit of your fleet.";
    b.portal.footer_text = "Demo Fleet Services - a Portico demo";
    {
      auto tx = rt.db->Write();
      storage::UpdateTenantBranding(tx->conn(), tenant.id, b, rt.clock.Now());
      tx->Commit();
    }
    std::cerr << "demo: loading data...\n";
    importer::ImportReport report;
    if (options.data_file) {
      if (!options.mapping) throw Error(ErrorCode::kInvalidInput, "--data needs --mapping");
      report = importer::ImportRepairsFromCsv(*rt.db, rt.clock, *options.data_file, kSlug, *options.mapping, false, {});
    } else {
      importer::RepairImporter imp(*rt.db, rt.clock, kSlug, false, "generated demo data");
      Generate(imp);
      report = imp.Finish();
    }
    std::cerr << importer::FormatReport(report, false);

    // Users, and the customer users' access to the largest customers.
    policy::Actor system;
    std::vector<CustomerId> top;
    {
      auto tx = rt.db->Read();
      top = storage::LargestCustomers(tx->conn(), tenant.id, 2);
    }
    for (const auto& u : kUsers) {
      auto user = rt.users.CreateInTenant(kSlug, {u.email, u.name, u.role, kPassword});
      if (u.access) {
        for (std::size_t i = 0; i < top.size(); ++i) {
          // The approver sees two organisations; the others the largest one.
          if (i > 0 && std::string(u.access) != "approver") continue;
          rt.customers.GrantInTenant(kSlug, top[i], {user.id, u.access, std::string(u.access) == "approver" && i == 0});
        }
      }
    }
    // A few repairs in the live workflow states, made through the services so the log and events are real.
    if (!top.empty()) {
      auto actor_for = [&](const char* email) {
        auto tx = rt.db->Read();
        auto user = storage::FindUserByEmail(tx->conn(), tenant.id, email);
        return rt.auth.LoadActor(tx->conn(), *user);
      };
      auto requester = actor_for("requester@demo.portico.test");
      auto manager = actor_for("manager@demo.portico.test");
      const char* requests[] = {"Crack spreading from the lower left corner of the windshield",
                                "Stone chip in the driver's line of sight", "Wiper leaves streaks after rain"};
      for (const char* d : requests) {
        rt.repairs.Create(requester, {top[0], std::string("DEMO-") + std::to_string(d[0] % 7 + 1), std::nullopt, d,
                                      "WINDSHIELD", 2});
      }
      const char* proposals[] = {"Replace both front brake pads (worn to 2 mm)", "Annual inspection and oil change"};
      for (const char* d : proposals) {
        rt.repairs.Create(manager, {top[0], std::string("DEMO-9"), std::nullopt, d, "NORMAL WEAR", 3});
      }
      // Support content: a published FAQ (on the Help page and the login page's help link) and a notice.
      const std::pair<const char*, const char*> faq[] = {
          {"How do I request a repair?",
           "Open Repairs and choose \"Request a repair\", or use the button on your dashboard.\nPick the unit and "
           "describe the damage; we answer within one working day."},
          {"Who approves the work?",
           "Users with approver access decide on the work we propose. Requesters and viewers follow it."},
          {"When is the shop open?", "Monday to Friday, 7:00 to 18:00. Outside these hours: +1 513 555 0100."}};
      for (const auto& [question, answer] : faq) rt.faq.Create(manager, {question, answer, std::nullopt, true});
      rt.announcements.Create(manager, {"Extended Saturday hours",
                                        "The workshop also opens on Saturdays 8:00-12:00 this month.\n"
                                        "Details: https://portico.example/hours",
                                        "info", std::nullopt, std::nullopt, {}});
    }
  } else {
    std::cerr << "demo: tenant 'demo' exists; its data is already loaded\n";
  }
  std::cout << "Portico demo tenant 'demo' — sign in at /t/demo/login with password '" << kPassword << "':\n";
  for (const auto& u : kUsers) {
    std::cout << "  " << u.role << (u.access ? std::string(" (") + u.access + ")" : std::string()) << ": " << u.email
              << "\n";
  }
  std::cout.flush();
}

}  // namespace portico::cli
