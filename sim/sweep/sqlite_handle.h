#pragma once
// A thin RAII layer over the SQLite C API for the sweep result store: a connection, prepared statements
// and an IMMEDIATE transaction that rolls back unless committed. Errors of the environment (file not a
// database, disk full, locked past the busy timeout, read-only, I/O) are InputErrors naming the file;
// anything else (bad SQL, a violated constraint) is a bug and a std::runtime_error.
#include <cstdint>
#include <optional>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace npusim::sqlite {

class Connection;

// A prepared statement; bind() is 1-based like SQLite, columns 0-based.
class Statement {
 public:
  Statement(Connection& db, const std::string& sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, const std::string& v);
  Statement& bind(int i, int64_t v);
  Statement& bind(int i, double v);
  Statement& bind_null(int i);
  Statement& bind(int i, const std::optional<double>& v) { return v ? bind(i, *v) : bind_null(i); }
  Statement& bind(int i, const std::optional<int64_t>& v) { return v ? bind(i, *v) : bind_null(i); }
  bool step();  // true: a row is ready
  void run();   // step() to the end
  void reset();

  bool is_null(int col) const;
  int64_t int64(int col) const;
  double real(int col) const;
  std::string text(int col) const;
  std::optional<double> opt_real(int col) const;
  std::optional<int64_t> opt_int64(int col) const;
  int columns() const;
  std::string column_name(int col) const;

 private:
  Connection& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Connection {
 public:
  // read_only: the file must exist. Otherwise it is created if missing.
  Connection(const std::string& path, bool read_only);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void exec(const std::string& sql);
  int64_t last_insert_rowid() const;
  const std::string& path() const { return path_; }
  sqlite3* raw() { return db_; }
  // Throws for a result code that is not OK/ROW/DONE (see the header comment).
  void check(int rc, const std::string& what);

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE (takes the write lock now, so the busy timeout applies here and not at a later write);
// rolled back by the destructor unless commit() ran.
class Transaction {
 public:
  explicit Transaction(Connection& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& db_;
  bool open_ = true;
};

}  // namespace npusim::sqlite
