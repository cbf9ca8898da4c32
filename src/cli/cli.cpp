#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <iostream>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>

#include "cli/demo.h"
#include "cli/runtime.h"
#include "import/import_repairs.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/log.h"
#include "storage/db_copy.h"

namespace portico::cli {
namespace {

struct Globals {
  std::string database;
  std::string config_file;
  std::string log_level;
};

std::string ReadPasswordStdin() {
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

/// `portico db copy`: prints one line per table (rows and checksum on both sides) and the verdict;
/// 0 when every table matches, 1 otherwise.
int CopyCommand(const std::string& from, const std::string& to) {
  if (from == to) throw Error(ErrorCode::kInvalidInput, "--from and --to name the same database");
  auto source = storage::OpenDatabase(from, 2);
  auto target = storage::OpenDatabase(to, 2);
  const auto t0 = std::chrono::steady_clock::now();
  auto tables = storage::CopyDatabase(*source, *target);
  const auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  bool ok = true;
  std::int64_t rows = 0;
  for (const auto& t : tables) {
    ok = ok && t.ok();
    rows += t.target_rows;
    std::printf("%-18s %10lld rows  checksum %016llx  %s\n", t.table.c_str(), static_cast<long long>(t.target_rows),
                static_cast<unsigned long long>(t.target_checksum),
                t.ok() ? "ok"
                       : ("DIFFERS (source " + std::to_string(t.source_rows) + " rows, checksum " +
                          std::to_string(t.source_checksum) + ")").c_str());
  }
  std::printf("%s: %zu tables, %lld rows in %.1f s\n", ok ? "verified" : "DIFFERENCES FOUND", tables.size(),
              static_cast<long long>(rows), secs);
  return ok ? 0 : 1;
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"Portico: a self-hosted portal for repair and service businesses."};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  Globals g;
  app.add_option("--database", g.database, "Database URL (default sqlite://data/portico.db)")->envname("");
  app.add_option("--config", g.config_file, "TOML configuration file");
  app.add_option("--log-level", g.log_level, "trace, debug, info, warn, error, off");
  app.fallthrough();

  std::map<std::string, std::string> flags;
  std::function<int(Runtime&)> action;

  // serve
  auto* serve = app.add_subcommand("serve", "Serve the API and the portals until SIGINT/SIGTERM");
  std::string listen, web;
  serve->add_option("--listen", listen, "host:port to listen on (default 127.0.0.1:8080)");
  serve->add_option("--web", web, "Folder of the built portal (default web/build)");
  serve->callback([&] {
    if (!listen.empty()) flags["listen"] = listen;
    if (!web.empty()) flags["web"] = web;
    action = [](Runtime& rt) { return Serve(rt); };
  });

  // migrate
  auto* migrate = app.add_subcommand("migrate", "Bring the schema up to date and print its version");
  migrate->callback([&] {
    action = [](Runtime& rt) {
      std::cout << rt.schema_version << "\n";
      return 0;
    };
  });

  // tenant create
  auto* tenant = app.add_subcommand("tenant", "Manage tenants");
  tenant->require_subcommand(1);
  auto* tenant_create = tenant->add_subcommand("create", "Create a tenant with default branding and pricing");
  std::string slug, tenant_name, tenant_currency = "USD";
  tenant_create->add_option("--slug", slug, "Short name used in URLs (a-z, 0-9, -)")->required();
  tenant_create->add_option("--name", tenant_name, "Company name")->required();
  tenant_create->add_option("--currency", tenant_currency, "ISO 4217 currency of its prices (default USD)");
  tenant_create->callback([&] {
    action = [&](Runtime& rt) {
      std::cout << rt.tenants.Create(slug, tenant_name, tenant_currency).id.value << "\n";
      return 0;
    };
  });

  // user create
  auto* user = app.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  auto* user_create = user->add_subcommand("create", "Create a user");
  std::string u_tenant, u_email, u_name, u_role, u_password;
  bool u_password_stdin = false;
  user_create->add_option("--tenant", u_tenant, "Tenant slug")->required();
  user_create->add_option("--email", u_email, "E-mail address")->required();
  user_create->add_option("--name", u_name, "Full name")->required();
  user_create->add_option("--role", u_role, "admin, manager, technician or customer")
      ->required()
      ->check(CLI::IsMember({"admin", "manager", "technician", "customer"}));
  auto* pw = user_create->add_option("--password", u_password, "Password (API.md rules: 10+ characters, not the e-mail, not a common password)");
  auto* pw_stdin = user_create->add_flag("--password-stdin", u_password_stdin, "Read the password from stdin");
  pw->excludes(pw_stdin);
  user_create->callback([&] {
    if (u_password.empty() && !u_password_stdin) {
      throw CLI::ValidationError("--password", "give --password or --password-stdin");
    }
    action = [&](Runtime& rt) {
      std::string password = u_password_stdin ? ReadPasswordStdin() : u_password;
      std::cout << rt.users.CreateInTenant(u_tenant, {u_email, u_name, u_role, password}).id.value << "\n";
      return 0;
    };
  });

  // customer create
  auto* customer = app.add_subcommand("customer", "Manage customer organisations");
  customer->require_subcommand(1);
  auto* customer_create = customer->add_subcommand("create", "Create a customer organisation");
  std::string c_tenant, c_name, c_email;
  customer_create->add_option("--tenant", c_tenant, "Tenant slug")->required();
  customer_create->add_option("--name", c_name, "Organisation name")->required();
  customer_create->add_option("--email", c_email, "Contact e-mail (unique in the tenant)")->required();
  customer_create->callback([&] {
    action = [&](Runtime& rt) {
      services::NewCustomer in;
      in.name = c_name;
      in.email = c_email;
      std::cout << rt.customers.CreateInTenant(c_tenant, in).id.value << "\n";
      return 0;
    };
  });

  // access grant
  auto* access = app.add_subcommand("access", "Manage customer access");
  access->require_subcommand(1);
  auto* grant = access->add_subcommand("grant", "Give a customer user access to a customer");
  std::string a_tenant, a_access;
  std::int64_t a_customer = 0, a_user = 0;
  grant->add_option("--tenant", a_tenant, "Tenant slug")->required();
  grant->add_option("--customer", a_customer, "Customer id")->required();
  grant->add_option("--user", a_user, "User id")->required();
  grant->add_option("--access", a_access, "approver, requester or viewer")
      ->required()
      ->check(CLI::IsMember({"approver", "requester", "viewer"}));
  grant->callback([&] {
    action = [&](Runtime& rt) {
      rt.customers.GrantInTenant(a_tenant, CustomerId(a_customer), {UserId(a_user), a_access, false});
      return 0;
    };
  });

  // invite (issue 13): the same invitation as POST /customers/{id}/invitations.
  auto* invite = app.add_subcommand("invite", "Invite a customer contact by e-mail (single-use link, 7 days)");
  std::string inv_tenant, inv_email, inv_access, inv_name, inv_language;
  std::int64_t inv_customer = 0;
  invite->add_option("--tenant", inv_tenant, "Tenant slug")->required();
  invite->add_option("--customer", inv_customer, "Customer id")->required();
  invite->add_option("--email", inv_email, "The invitee's e-mail address")->required();
  invite->add_option("--access", inv_access, "approver, requester or viewer")
      ->required()
      ->check(CLI::IsMember({"approver", "requester", "viewer"}));
  invite->add_option("--name", inv_name, "The invitee's name (optional)");
  invite->add_option("--language", inv_language, "Language of the e-mail: en or es")->check(CLI::IsMember({"en", "es"}));
  invite->callback([&] {
    action = [&](Runtime& rt) {
      services::NewInvitation in{inv_email, inv_name, inv_access, std::nullopt,
                                 inv_language.empty() ? std::nullopt : std::optional<std::string>(inv_language)};
      auto created = rt.onboarding.InviteInTenant(inv_tenant, CustomerId(inv_customer), in);
      std::cout << created.invitation.record.id << "\n";
      if (rt.config.smtp_host.empty()) {
        std::cout << created.link << "\n";
      } else {
        std::cout << "The invitation e-mail is queued; a running server sends it.\n";
      }
      return 0;
    };
  });

  // backup
  auto* backup = app.add_subcommand("backup", "Write a consistent copy of the database");
  std::string backup_file;
  backup->add_option("FILE", backup_file, "Where to write the copy")->required();
  backup->callback([&] {
    action = [&](Runtime& rt) {
      rt.db->Backup(backup_file);
      std::cout << backup_file << "\n";
      return 0;
    };
  });

  // import repairs
  auto* import = app.add_subcommand("import", "Import data");
  import->require_subcommand(1);
  auto* import_repairs = import->add_subcommand("repairs", "Import customers, units and repairs from a CSV (plain or .gz)");
  std::string i_file, i_tenant, i_mapping;
  bool i_dry_run = false;
  import_repairs->add_option("FILE", i_file, "CSV file, plain or gzip")->required()->check(CLI::ExistingFile);
  import_repairs->add_option("--tenant", i_tenant, "Tenant slug")->required();
  import_repairs->add_option("--mapping", i_mapping, "TOML column mapping (see docs/import-mapping.md)")
      ->required()
      ->check(CLI::ExistingFile);
  import_repairs->add_flag("--dry-run", i_dry_run, "Read and check everything, write nothing");
  import_repairs->callback([&] {
    action = [&](Runtime& rt) {
      const bool tty = isatty(2);
      auto last = std::chrono::steady_clock::now();
      auto progress = [&](std::int64_t records, std::int64_t read, std::int64_t total) {
        auto now = std::chrono::steady_clock::now();
        bool done = read >= total && total > 0;
        if (!done && now - last < std::chrono::milliseconds(tty ? 200 : 5000)) return;
        last = now;
        int pct = total > 0 ? static_cast<int>(read * 100 / total) : 0;
        std::fprintf(stderr, tty ? "\rimporting: %lld rows, %d%%   " : "importing: %lld rows, %d%%\n",
                     static_cast<long long>(records), pct);
        if (tty && done) std::fprintf(stderr, "\n");
      };
      auto report = importer::ImportRepairsFromCsv(*rt.db, rt.clock, i_file, i_tenant, i_mapping, i_dry_run, progress);
      std::cout << importer::FormatReport(report, i_dry_run);
      return 0;
    };
  });

  // db copy: works on two databases of its own, not on --database
  std::function<int()> standalone;
  auto* db_cmd = app.add_subcommand("db", "Database operations");
  db_cmd->require_subcommand(1);
  auto* db_copy = db_cmd->add_subcommand("copy", "Copy a whole installation into an empty database and verify it");
  std::string copy_from, copy_to;
  db_copy->add_option("--from", copy_from, "Source database URL")->required();
  db_copy->add_option("--to", copy_to, "Target database URL (empty)")->required();
  db_copy->callback([&] { standalone = [&] { return CopyCommand(copy_from, copy_to); }; });

  // demo
  auto* demo = app.add_subcommand("demo", "Create the demo tenant with one user per role, load data, optionally serve");
  std::string d_data, d_mapping, d_listen, d_web;
  bool d_serve = false;
  demo->add_option("--data", d_data, "A CSV to load through --mapping (default: generated data)")
      ->check(CLI::ExistingFile);
  demo->add_option("--mapping", d_mapping, "The TOML mapping of --data")->check(CLI::ExistingFile);
  demo->add_flag("--serve", d_serve, "Serve after loading");
  demo->add_option("--listen", d_listen, "host:port to listen on with --serve");
  demo->add_option("--web", d_web, "Folder of the built portal");
  demo->callback([&] {
    if (!d_data.empty() && d_mapping.empty()) throw CLI::ValidationError("--data", "needs --mapping");
    if (!d_listen.empty()) flags["listen"] = d_listen;
    if (!d_web.empty()) flags["web"] = d_web;
    action = [&](Runtime& rt) {
      DemoOptions options;
      if (!d_data.empty()) options.data_file = d_data;
      if (!d_mapping.empty()) options.mapping = d_mapping;
      RunDemo(rt, options);
      if (!d_serve) return 0;
      std::cout << "Open http://" << rt.config.listen << "/ (Ctrl-C stops)" << std::endl;
      return Serve(rt);
    };
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    if (!g.database.empty()) flags["database"] = g.database;
    if (!g.log_level.empty()) flags["log-level"] = g.log_level;
    std::optional<std::string> config_file;
    if (!g.config_file.empty()) config_file = g.config_file;
    Config config = LoadConfig(config_file, PorticoEnvironment(), flags);
    InitLogging(config.log_level);
    InitCrypto();
    if (standalone) return standalone();
    Runtime rt(config);
    return action ? action(rt) : 0;
  } catch (const Error& e) {
    if (!e.field_errors().empty()) {
      for (const auto& [field, messages] : e.field_errors()) {
        for (const auto& m : messages) std::cerr << field << ": " << m << "\n";
      }
    }
    if (!e.internal().empty() && e.internal() != e.detail()) spdlog::debug("{}", e.internal());
    std::cerr << "error: " << (e.code() == ErrorCode::kInternal ? e.internal() : e.detail()) << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace portico::cli
