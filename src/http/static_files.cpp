#include "http/static_files.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace portico::http {
namespace fs = std::filesystem;
namespace {

constexpr std::uintmax_t kMaxTotalBytes = 64u << 20;

std::string ContentType(const fs::path& p) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".webp", "image/webp"}, {".ico", "image/x-icon"},
      {".woff2", "font/woff2"}, {".woff", "font/woff"}, {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"}, {".map", "application/json"}};
  auto it = kTypes.find(p.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::string Sha256Base64(const std::string& text) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char out[64];
  sodium_bin2base64(out, sizeof out, digest, sizeof digest, sodium_base64_VARIANT_ORIGINAL);
  return out;
}

/// "'sha256-...' 'sha256-...'" for every inline <script> of an HTML page.
std::string InlineScriptHashes(const std::string& html) {
  std::string hashes;
  std::size_t pos = 0;
  while ((pos = html.find("<script", pos)) != std::string::npos) {
    auto tag_end = html.find('>', pos);
    if (tag_end == std::string::npos) break;
    std::string tag = html.substr(pos, tag_end - pos);
    auto close = html.find("</script>", tag_end);
    if (close == std::string::npos) break;
    if (tag.find(" src=") == std::string::npos) {
      hashes += " 'sha256-" + Sha256Base64(html.substr(tag_end + 1, close - tag_end - 1)) + "'";
    }
    pos = close;
  }
  return hashes;
}

}  // namespace

std::string PageCsp(const std::string& script_hashes) {
  return "default-src 'self'; script-src 'self'" + script_hashes +
         "; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; "
         "font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
}

StaticFiles::StaticFiles(const std::string& dir) : dir_(dir) {
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) {
    spdlog::warn("web directory '{}' not found: the portal is not served (build it with scripts/build-web)", dir);
    index_csp_ = PageCsp("");
    return;
  }
  std::uintmax_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    total += it->file_size();
    if (total > kMaxTotalBytes) {
      spdlog::warn("web directory larger than 64 MiB; files past that are not served");
      break;
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    std::string rel = "/" + fs::relative(it->path(), dir).generic_string();
    File f{ContentType(it->path()), buf.str(), rel.find("/immutable/") != std::string::npos};
    files_.emplace(rel, std::move(f));
  }
  auto index = files_.find("/index.html");
  index_csp_ = PageCsp(index == files_.end() ? "" : InlineScriptHashes(index->second.body));
  spdlog::info("serving the portal from {} ({} files)", dir, files_.size());
}

Response StaticFiles::Serve(const Request& req) const {
  Response r;
  auto it = files_.find(req.path);
  bool is_index = false;
  if (it == files_.end()) {
    // Deep links: every unknown path gets the app, which routes on the client.
    it = files_.find("/index.html");
    is_index = true;
  }
  if (it == files_.end()) {
    r.status = 503;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "The Portico web portal is not built. Run scripts/build-web, then restart the server.\n";
    return r;
  }
  r.content_type = it->second.content_type;
  r.body = it->second.body;
  if (it->second.immutable) {
    r.SetHeader("Cache-Control", "public, max-age=31536000, immutable");
  } else {
    r.SetHeader("Cache-Control", "no-cache");
  }
  if (is_index || it->second.content_type.starts_with("text/html")) {
    r.SetHeader("Content-Security-Policy", index_csp_);
  }
  return r;
}

}  // namespace portico::http
