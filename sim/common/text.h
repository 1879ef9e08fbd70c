#pragma once
// Text helpers for one-line error messages: values are quoted with control characters escaped and
// long values truncated, so a message never spans lines.
#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>

namespace npusim {

inline std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (out.size() > 60) out = out.substr(0, 57) + "...";
  return out;
}

inline std::string quote(std::string_view s) { return "'" + printable(s) + "'"; }

inline std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace npusim
