// The type decision and the image pipeline (src/media) on small files made here: an EXIF-rotated JPEG
// with GPS, an HTML file named .jpg, a PNG named .exe, a ZIP, an SVG, a truncated JPEG, a PNG that
// announces 64 megapixels.
#include <gtest/gtest.h>
#include <vips/vips.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "media/media.h"

namespace portico::media {
namespace {
namespace fs = std::filesystem;

class MediaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("portico-media-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& bytes) {
    auto p = (dir_ / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), {});
  }
  /// A w x h JPEG made by libvips (a gradient, so it is not trivially compressible).
  std::string Jpeg(int w, int h) {
    ProcessLogo(Write("seed.png", Png(1, 1)), "image/png", dir_.string());  // starts libvips
    VipsImage* img = nullptr;
    EXPECT_EQ(vips_xyz(&img, w, h, nullptr), 0);
    VipsImage* u8 = nullptr;
    EXPECT_EQ(vips_cast_uchar(img, &u8, nullptr), 0);
    void* buf = nullptr;
    size_t len = 0;
    EXPECT_EQ(vips_jpegsave_buffer(u8, &buf, &len, nullptr), 0);
    std::string out(static_cast<char*>(buf), len);
    g_free(buf);
    g_object_unref(u8);
    g_object_unref(img);
    return out;
  }
  fs::path dir_;

 public:
  /// A PNG header claiming w x h (8-bit grey) with an empty image stream.
  static std::string Png(std::uint32_t w, std::uint32_t h) {
    auto be32 = [](std::uint32_t v) {
      return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                         static_cast<char>(v)};
    };
    auto chunk = [&](const std::string& type, const std::string& data) {
      std::string td = type + data;
      auto crc = crc32(0, reinterpret_cast<const Bytef*>(td.data()), static_cast<uInt>(td.size()));
      return be32(static_cast<std::uint32_t>(data.size())) + td + be32(static_cast<std::uint32_t>(crc));
    };
    std::string ihdr = be32(w) + be32(h) + std::string("\x08\x00\x00\x00\x00", 5);
    // One row of zeros per line would be the real data; for 1x1 it is "\0\0".
    std::string raw(static_cast<std::size_t>(w <= 1 && h <= 1 ? 2 : 2), '\0');
    uLongf zlen = compressBound(static_cast<uLong>(raw.size()));
    std::string z(zlen, '\0');
    compress(reinterpret_cast<Bytef*>(z.data()), &zlen, reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()));
    z.resize(zlen);
    return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", z) + chunk("IEND", "");
  }
};

/// An APP1 EXIF segment: Orientation 6 (rotate 90), DateTimeOriginal, OffsetTimeOriginal-less, and GPS.
std::string ExifSegment() {
  std::string t;
  auto u16 = [&](int v) { t.push_back(static_cast<char>(v & 255)); t.push_back(static_cast<char>(v >> 8)); };
  auto u32 = [&](std::uint32_t v) { for (int i = 0; i < 4; ++i) t.push_back(static_cast<char>((v >> (8 * i)) & 255)); };
  auto entry = [&](int tag, int type, std::uint32_t count, std::uint32_t value) { u16(tag); u16(type); u32(count); u32(value); };
  t += "II";
  u16(42);
  u32(8);
  u16(3);                                  // IFD0 at 8
  entry(0x0112, 3, 1, 6);                  // Orientation = 6
  entry(0x8769, 4, 1, 50);                 // Exif IFD
  entry(0x8825, 4, 1, 88);                 // GPS IFD
  u32(0);
  u16(1);                                  // Exif IFD at 50
  entry(0x9003, 2, 20, 68);                // DateTimeOriginal
  u32(0);
  t += std::string("2024:05:01 10:20:30\0", 20);  // at 68
  u16(2);                                  // GPS IFD at 88
  entry(0x0001, 2, 2, 'N');                // GPSLatitudeRef "N"
  entry(0x0002, 5, 3, 118);                // GPSLatitude
  u32(0);
  for (std::uint32_t v : {51u, 1u, 30u, 1u, 26u, 1u}) u32(v);  // at 118
  std::string app1 = "Exif" + std::string(2, '\0') + t;
  std::size_t len = app1.size() + 2;
  return std::string("\xff\xe1", 2) + static_cast<char>(len >> 8) + static_cast<char>(len & 255) + app1;
}

TEST_F(MediaTest, TypesComeFromTheBytesNotTheName) {
  EXPECT_EQ(SniffType(Write("photo.exe", Png(2, 2))), "image/png");
  EXPECT_EQ(Classify("image/png")->kind, Kind::kImage);
  auto html = SniffType(Write("photo.jpg", "<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n"));
  EXPECT_EQ(html, "text/html");
  EXPECT_FALSE(Classify(html));
  auto svg = SniffType(Write("logo.png", "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"></svg>\n"));
  EXPECT_FALSE(Classify(svg)) << svg;
  auto zip = SniffType(Write("doc.pdf", std::string("PK\x03\x04\x14\x00\x00\x00\x00\x00", 10) + std::string(40, '\0')));
  EXPECT_FALSE(Classify(zip)) << zip;
  EXPECT_EQ(Classify(SniffType(Write("x.bin", "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")))->kind,
            Kind::kDocument);
  EXPECT_EQ(Classify(SniffType(Write("notes", "plain words, nothing else\n")))->kind, Kind::kDocument);
  EXPECT_FALSE(Classify("application/x-executable"));
}

TEST_F(MediaTest, ImagesAreRotatedStrippedAndKeepTheirCaptureTime) {
  std::string jpeg = Jpeg(64, 32);
  std::string with_exif = jpeg.substr(0, 2) + ExifSegment() + jpeg.substr(2);
  auto in = Write("phone.jpg", with_exif);
  ASSERT_NE(Read(in).find("Exif"), std::string::npos);
  auto r = ProcessImage(in, "image/jpeg", dir_.string());
  EXPECT_EQ(r.content_type, "image/jpeg");
  EXPECT_EQ(r.width, 32);  // orientation 6: a 64x32 sensor image stands upright as 32x64
  EXPECT_EQ(r.height, 64);
  ASSERT_TRUE(r.taken_at);
  EXPECT_EQ(*r.taken_at, 1714558830);  // 2024-05-01T10:20:30Z (no offset: read as UTC)
  std::string stored = Read(r.stored_path);
  EXPECT_EQ(stored.find("Exif"), std::string::npos) << "metadata left in the stored file";
  EXPECT_EQ(stored.find("2024:05:01"), std::string::npos);
  EXPECT_EQ(SniffType(r.thumbnail_path), "image/jpeg");
}

TEST_F(MediaTest, ThumbnailsAreAtMost320Pixels) {
  auto r = ProcessImage(Write("big.jpg", Jpeg(1000, 500)), "image/jpeg", dir_.string());
  VipsImage* th = vips_image_new_from_file(r.thumbnail_path.c_str(), nullptr);
  ASSERT_NE(th, nullptr);
  EXPECT_EQ(vips_image_get_width(th), 320);
  EXPECT_EQ(vips_image_get_height(th), 160);
  g_object_unref(th);
  EXPECT_FALSE(r.taken_at);
}

TEST_F(MediaTest, RefusesADecompressionBombBeforeDecoding) {
  auto bomb = Write("bomb.png", Png(8000, 8000));  // 64 megapixels announced in a few bytes
  EXPECT_LT(fs::file_size(bomb), 200u);
  try {
    ProcessImage(bomb, "image/png", dir_.string());
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(e.detail().find("50 megapixels"), std::string::npos);
  }
}

TEST_F(MediaTest, RefusesTruncatedAndCorruptImages) {
  std::string jpeg = Jpeg(200, 200);
  EXPECT_THROW(ProcessImage(Write("cut.jpg", jpeg.substr(0, jpeg.size() / 2)), "image/jpeg", dir_.string()), Error);
  std::string png = Png(4, 4);
  png[png.size() - 20] ^= 0x55;  // inside IDAT
  EXPECT_THROW(ProcessImage(Write("bad.png", png), "image/png", dir_.string()), Error);
}

TEST_F(MediaTest, LogosAreScaledAndSvgIsRefused) {
  auto out = ProcessLogo(Write("logo.jpg", Jpeg(1200, 600)), "image/jpeg", dir_.string());
  VipsImage* img = vips_image_new_from_file(out.c_str(), nullptr);
  ASSERT_NE(img, nullptr);
  EXPECT_EQ(vips_image_get_width(img), 512);
  g_object_unref(img);
  try {
    ProcessLogo(Write("logo.svg", "<svg/>"), "image/svg+xml", dir_.string());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupportedMediaType);
  }
}

TEST(ExifTime, ParsesWithAndWithoutOffset) {
  EXPECT_EQ(ParseExifTime("2024:05:01 10:20:30 (2024:05:01 10:20:30, ASCII, 20 components, 20 bytes)", ""), 1714558830);
  EXPECT_EQ(ParseExifTime("2024:05:01 10:20:30", "+02:00 (+02:00, ASCII)"), 1714558830 - 7200);
  EXPECT_FALSE(ParseExifTime("    :  :     :  :  ", ""));
  EXPECT_FALSE(ParseExifTime("2024:13:01 10:20:30", ""));
}

}  // namespace
}  // namespace portico::media
