// The multipart/form-data parser (src/http/multipart.h) on well-formed and hostile input, fed in every
// chunking, and the upload receiver that writes the file part to disk.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "http/multipart.h"
#include "http/upload.h"

namespace portico::http {
namespace {

struct Collected {
  std::vector<MultipartPart> parts;
  std::vector<std::string> bodies;
  int ends = 0;
};

MultipartParser::Sink Collect(Collected& c) {
  return [&c](MultipartParser::Event e, const MultipartPart& p, std::string_view d) {
    switch (e) {
      case MultipartParser::Event::kPartBegin:
        c.parts.push_back(p);
        c.bodies.emplace_back();
        break;
      case MultipartParser::Event::kData:
        c.bodies.back().append(d);
        break;
      case MultipartParser::Event::kPartEnd:
        ++c.ends;
        break;
    }
  };
}

const std::string kBody =
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"caption\"\r\n\r\n"
    "Chip on the windshield\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".jpg\"\r\n"
    "Content-Type: image/jpeg\r\n\r\n"
    "\xff\xd8\r\n--Xy not a boundary\r\n--XyQ still not\xff\xd9\r\n"
    "--XyZ--\r\n";

TEST(Multipart, ParsesPartsInEveryChunking) {
  for (std::size_t chunk : {1, 2, 3, 7, 16, 1000}) {
    Collected c;
    MultipartParser p("XyZ", {}, Collect(c));
    for (std::size_t i = 0; i < kBody.size(); i += chunk) {
      ASSERT_TRUE(p.Feed(std::string_view(kBody).substr(i, chunk))) << "chunk " << chunk << " at " << i << ": " << p.error();
    }
    ASSERT_TRUE(p.Finish()) << p.error();
    ASSERT_EQ(c.parts.size(), 2u) << "chunk " << chunk;
    EXPECT_EQ(c.parts[0].name, "caption");
    EXPECT_FALSE(c.parts[0].filename);
    EXPECT_EQ(c.bodies[0], "Chip on the windshield");
    EXPECT_EQ(c.parts[1].name, "file");
    EXPECT_EQ(c.parts[1].filename.value_or(""), "a \"b\".jpg");
    EXPECT_EQ(c.parts[1].content_type, "image/jpeg");
    EXPECT_EQ(c.bodies[1], "\xff\xd8\r\n--Xy not a boundary\r\n--XyQ still not\xff\xd9");
    EXPECT_EQ(c.ends, 2);
  }
}

TEST(Multipart, RefusesTruncatedBodies) {
  for (std::size_t cut : {std::size_t{0}, std::size_t{5}, std::size_t{30}, std::size_t{80}, kBody.size() - 9}) {
    Collected c;
    MultipartParser p("XyZ", {}, Collect(c));
    p.Feed(std::string_view(kBody).substr(0, cut));
    EXPECT_FALSE(p.Finish()) << "cut at " << cut;
    EXPECT_EQ(p.status(), 400);
  }
}

TEST(Multipart, RefusesAMissingBoundary) {
  Collected c;
  MultipartParser p("XyZ", {}, Collect(c));
  std::string junk(5000, 'a');
  EXPECT_FALSE(p.Feed(junk));
  EXPECT_EQ(p.status(), 400);
  EXPECT_TRUE(c.parts.empty());
}

TEST(Multipart, RefusesHugePartHeaders) {
  Collected c;
  MultipartParser p("B", {.max_header_bytes = 256}, Collect(c));
  std::string body = "--B\r\nContent-Disposition: form-data; name=\"x\"\r\nX-Pad: " + std::string(100000, 'p');
  EXPECT_FALSE(p.Feed(body));
  EXPECT_EQ(p.status(), 400);
  EXPECT_NE(p.error().find("headers"), std::string::npos);
}

TEST(Multipart, RefusesTooManyParts) {
  std::string body;
  for (int i = 0; i < 10; ++i) body += "--B\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) + "\"\r\n\r\nx\r\n";
  body += "--B--\r\n";
  Collected c;
  MultipartParser p("B", {.max_parts = 3}, Collect(c));
  EXPECT_FALSE(p.Feed(body));
  EXPECT_EQ(p.status(), 400);
  EXPECT_EQ(c.parts.size(), 3u);
}

TEST(Multipart, RefusesABodyOverItsLimitWith413) {
  Collected c;
  MultipartParser p("B", {.max_body_bytes = 100}, Collect(c));
  EXPECT_TRUE(p.Feed("--B\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n"));
  EXPECT_FALSE(p.Feed(std::string(200, 'z')));
  EXPECT_EQ(p.status(), 413);
}

TEST(Multipart, RefusesPartsWithoutANameOrDisposition) {
  for (std::string body : {"--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--",
                           "--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--",
                           "--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--B--",
                           "--B\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--B--",
                           "--B\r\n\r\nx\r\n--B--",
                           "--B\r\n Content-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B--",
                           "--Bjunk\r\n"}) {
    Collected c;
    MultipartParser p("B", {}, Collect(c));
    bool ok = p.Feed(body) && p.Finish();
    EXPECT_FALSE(ok) << body;
    EXPECT_EQ(p.status(), 400) << body;
  }
}

TEST(Multipart, SurvivesRandomInput) {
  std::mt19937 rng(42);
  const std::string alphabet = "-B\r\n:;=\"abcContent-Disposition form-data name filename\\\x00\xff";
  for (int round = 0; round < 3000; ++round) {
    std::string body = round % 2 ? "--B\r\n" : "";
    int n = static_cast<int>(rng() % 300);
    for (int i = 0; i < n; ++i) body.push_back(alphabet[rng() % alphabet.size()]);
    Collected c;
    MultipartParser p("B", {.max_parts = 4, .max_header_bytes = 128, .max_body_bytes = 250}, Collect(c));
    std::size_t i = 0;
    while (i < body.size()) {
      std::size_t k = 1 + rng() % 17;
      if (!p.Feed(std::string_view(body).substr(i, k))) break;
      i += k;
    }
    p.Finish();
    EXPECT_LE(c.parts.size(), 4u);
    if (p.failed()) {
      EXPECT_TRUE(p.status() == 400 || p.status() == 413);
    }
  }
}

TEST(Multipart, FindsTheBoundaryInTheContentType) {
  EXPECT_EQ(FormDataBoundary("multipart/form-data; boundary=abc").value_or(""), "abc");
  EXPECT_EQ(FormDataBoundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\"").value_or(""), "a b:c");
  EXPECT_FALSE(FormDataBoundary("multipart/form-data"));
  EXPECT_FALSE(FormDataBoundary("multipart/mixed; boundary=abc"));
  EXPECT_FALSE(FormDataBoundary("application/json"));
  EXPECT_FALSE(FormDataBoundary("multipart/form-data; boundary=" + std::string(71, 'a')));
  EXPECT_FALSE(FormDataBoundary("multipart/form-data; boundary=a\x01z"));
}

TEST(Upload, WritesTheFilePartToATemporaryFileAndRemovesIt) {
  auto dir = std::filesystem::temp_directory_path() / "portico-upload-test";
  std::filesystem::create_directories(dir);
  std::string path;
  {
    UploadReceiver rx("XyZ", {}, dir.string());
    for (std::size_t i = 0; i < kBody.size(); i += 5) ASSERT_TRUE(rx.Feed(std::string_view(kBody).substr(i, 5)));
    ASSERT_TRUE(rx.Finish());
    auto form = rx.Take();
    ASSERT_TRUE(form->has_file);
    EXPECT_EQ(form->fields.at("caption"), "Chip on the windshield");
    EXPECT_EQ(form->file_name, "a \"b\".jpg");
    path = form->file_path;
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(bytes, "\xff\xd8\r\n--Xy not a boundary\r\n--XyQ still not\xff\xd9");
    EXPECT_EQ(form->file_size, static_cast<std::int64_t>(bytes.size()));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(Upload, RefusesTwoFilesAndLongFields) {
  auto dir = std::filesystem::temp_directory_path();
  std::string two = "--B\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\na\r\n"
                    "--B\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nb\r\n--B--";
  UploadReceiver rx("B", {}, dir.string());
  EXPECT_FALSE(rx.Feed(two));
  EXPECT_EQ(rx.Take()->error_status, 400);
  EXPECT_TRUE(rx.Take()->file_path.empty());
  std::string long_field = "--B\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\n" + std::string(3000, 'c');
  UploadReceiver rx2("B", {}, dir.string());
  EXPECT_FALSE(rx2.Feed(long_field));
  EXPECT_EQ(rx2.Take()->error_status, 400);
}

}  // namespace
}  // namespace portico::http
