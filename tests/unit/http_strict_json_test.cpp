// Tests of strict JSON bodies (src/http/strict_json.h, json_io.h): a key repeated in one object, at any
// depth and however it is escaped, is a 400 naming the key; equal keys in different objects are fine.
#include <gtest/gtest.h>

#include "core/error.h"
#include "http/json_io.h"
#include "http/strict_json.h"

namespace portico::http {
namespace {

TEST(StrictJson, FindsATopLevelDuplicate) {
  EXPECT_EQ(FindDuplicateKey(R"({"password": "wrong", "password": "right"})"), "password");
}

TEST(StrictJson, FindsNestedDuplicatesWithTheirPath) {
  EXPECT_EQ(FindDuplicateKey(R"({"colors": {"primary": "#000", "primary": "#fff"}})"), "colors.primary");
  EXPECT_EQ(FindDuplicateKey(R"({"items": [{"sku": "a"}, {"sku": "b", "sku": "c"}]})"), "items[1].sku");
  EXPECT_EQ(FindDuplicateKey(R"({"a": [1, [2, 3], {"x": {"y": 1, "y": 2}}]})"), "a[2].x.y");
}

TEST(StrictJson, EscapedSpellingsOfOneKeyAreTheSameKey) {
  EXPECT_EQ(FindDuplicateKey(R"({"unit_number": "1", "unit_numbe\u0072": "2"})"), "unit_number");
}

TEST(StrictJson, EqualKeysInDifferentObjectsAreNotDuplicates) {
  EXPECT_EQ(FindDuplicateKey(R"({"a": {"id": 1}, "b": {"id": 2}, "id": 3})"), std::nullopt);
  EXPECT_EQ(FindDuplicateKey(R"([{"id": 1}, {"id": 2}])"), std::nullopt);
  EXPECT_EQ(FindDuplicateKey(R"({})"), std::nullopt);
  EXPECT_EQ(FindDuplicateKey("not json"), std::nullopt);
}

TEST(StrictJson, ParseJsonObjectRefusesADuplicateNamingIt) {
  try {
    ParseJsonObject(R"({"email": "a@b.test", "password": "wrong", "password": "right"})");
    FAIL() << "a duplicate key was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    ASSERT_TRUE(e.field_errors().contains("password"));
    EXPECT_NE(e.detail().find("password"), std::string::npos);
  }
  EXPECT_EQ(ParseJsonObject(R"({"password": "right"})").at("password").as_string(), "right");
}

}  // namespace
}  // namespace portico::http
