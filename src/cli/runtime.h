// The wiring of one Portico process: configuration, storage and services, in plain sight.
#pragma once

#include <atomic>
#include <memory>

#include "core/clock.h"
#include "core/config.h"
#include "services/account_services.h"
#include "services/attachment_service.h"
#include "services/auth_service.h"
#include "services/conversation_service.h"
#include "services/event_broker.h"
#include "services/event_service.h"
#include "services/figures_service.h"
#include "services/export_service.h"
#include "services/invoice_service.h"
#include "services/mailer.h"
#include "services/notifications.h"
#include "services/onboarding_service.h"
#include "services/repair_service.h"
#include "services/request_service.h"
#include "services/support_service.h"
#include "services/webhook_worker.h"
#include "services/webhooks.h"
#include "services/appointment_service.h"
#include "services/board_service.h"
#include "services/parts_service.h"
#include "services/shop_service.h"
#include "storage/blob_store.h"
#include "storage/db.h"

namespace portico::http {
class App;
}

namespace portico::cli {

struct Runtime {
  explicit Runtime(Config config);
  Config config;
  SystemClock clock;
  std::unique_ptr<storage::Database> db;
  services::Deps deps;
  services::AuthService auth;
  services::UserService users;
  services::CustomerService customers;
  services::TenantService tenants;
  services::RepairService repairs;
  services::FiguresService figures;
  std::unique_ptr<storage::BlobStore> blobs;
  services::AttachmentService attachments;
  services::EventBroker broker;
  services::EventService events;
  services::NotificationService notifications;
  services::NotificationWorker notifier;
  services::MailWorker mailer;
  services::FaqService faq;
  services::AnnouncementService announcements;
  services::AnnouncementWorker announcer;
  services::ChangeOrderService change_orders;
  services::ClientRequestService requests;
  services::ExportService exports;  // issue 14
  services::InvoiceService invoices;  // issue 14
  services::WebhookService webhooks;  // issue 14
  services::WebhookWorker webhook_worker;  // issue 14
  services::ChannelService channels;  // issue 11
  services::MessageService messages;
  services::OnboardingService onboarding;  // issue 13: invitations, sign-up, password reset, domains
  services::ShopService shop;                  // issue 12
  services::AppointmentService appointments;   // issue 12
  services::ReminderWorker reminders;          // issue 12
  services::BoardService board;                // issue 12
  services::PartsService parts;                // issue 12
  int schema_version = 0;
  /// Set while serving on a database that notifies every instance (PostgreSQL): wake-ups then come from
  /// the listener only, for this instance's own events too, instead of twice.
  std::atomic<bool> wake_through_database{false};
};

/// Who may see an event, for waking live-update subscribers.
services::EventAudience Audience(const storage::EventRecord& e);

/// Registers every API route of the process on `app` (what `serve` answers; fuzz/ drives the same routes).
void RegisterRoutes(http::App& app, Runtime& rt);

/// Serves HTTP until SIGINT/SIGTERM (CLI.md, serve).
int Serve(Runtime& rt);

}  // namespace portico::cli
