// Route registration, one function per area. Handlers parse, call one service, serialise.
#pragma once

#include "http/app.h"
#include "services/account_services.h"
#include "services/attachment_service.h"
#include "services/auth_service.h"
#include "services/conversation_service.h"
#include "services/event_service.h"
#include "services/figures_service.h"
#include "services/export_service.h"
#include "services/invoice_service.h"
#include "services/notifications.h"
#include "services/onboarding_service.h"
#include "services/repair_service.h"
#include "services/request_service.h"
#include "services/support_service.h"
#include "services/webhooks.h"
#include "services/appointment_service.h"
#include "services/board_service.h"
#include "services/parts_service.h"
#include "services/shop_service.h"
#include "storage/db.h"

namespace portico::http {

struct AccountServices {
  services::AuthService& auth;
  services::UserService& users;
  services::CustomerService& customers;
  services::TenantService& tenants;
};

void RegisterAccountRoutes(App& app, AccountServices s);

struct SupportServices {
  services::FaqService& faq;
  services::AnnouncementService& announcements;
};
void RegisterSupportRoutes(App& app, SupportServices s);
void RegisterOpsRoutes(App& app, storage::Database& db, const Config& config);
void RegisterRepairRoutes(App& app, services::RepairService& repairs);
void RegisterFigureRoutes(App& app, services::FiguresService& figures);
void RegisterEventRoutes(App& app, services::EventService& events);
void RegisterNotificationRoutes(App& app, services::NotificationService& notifications);
void RegisterAttachmentRoutes(App& app, services::AttachmentService& attachments);
/// Issue 14: CSV exports of repairs, a unit's history and the monthly figures.
void RegisterExportRoutes(App& app, services::ExportService& exports, services::FiguresService& figures,
                          services::InvoiceService& invoices);
/// Issue 14: webhook endpoints, deliveries, redelivery, test sends.
void RegisterWebhookRoutes(App& app, services::WebhookService& webhooks);

// Client requests and change orders (issue 10).
struct RequestServices {
  services::ClientRequestService& requests;
  services::ChangeOrderService& change_orders;
};
void RegisterRequestRoutes(App& app, RequestServices s);

struct ConversationServices {
  services::ChannelService& channels;
  services::MessageService& messages;
};
void RegisterConversationRoutes(App& app, ConversationServices s);
void RegisterOnboardingRoutes(App& app, services::OnboardingService& onboarding);

// Shop operations (issue 12): settings, service types, availability, appointments, calendar feeds.
struct ShopServices {
  services::ShopService& shop;
  services::AppointmentService& appointments;
  services::BoardService& board;
};
void RegisterShopRoutes(App& app, ShopServices s);
void RegisterPartsRoutes(App& app, services::PartsService& parts);

}  // namespace portico::http
