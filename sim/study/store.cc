#include "sim/study/store.h"

#include <sqlite3.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>

#include "sim/scenario/field_path.h"

namespace clawsim::study {
namespace {

constexpr int kFormatMajor = 1;
constexpr int kFormatMinor = 0;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS study(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  study_path TEXT NOT NULL,
  base_scenario TEXT NOT NULL,
  replications INTEGER NOT NULL,
  seed INTEGER NOT NULL,
  counterfactual INTEGER NOT NULL,
  baseline TEXT,
  study_textproto TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS arms(
  arm_index INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL,
  is_baseline INTEGER NOT NULL,
  scenario_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS arm_overrides(
  arm_index INTEGER NOT NULL REFERENCES arms(arm_index),
  position INTEGER NOT NULL,
  path TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (arm_index, position));
CREATE TABLE IF NOT EXISTS runs(
  run_id INTEGER PRIMARY KEY,
  arm TEXT NOT NULL,
  replication INTEGER NOT NULL,
  seed INTEGER NOT NULL,
  scenario_hash TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
  error TEXT,
  wall_s REAL NOT NULL,
  threads INTEGER NOT NULL,
  finished_utc TEXT NOT NULL,
  UNIQUE (arm, seed, scenario_hash));
CREATE TABLE IF NOT EXISTS measures(
  run_id INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  value REAL,
  PRIMARY KEY (run_id, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS daily(
  run_id INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
  day INTEGER NOT NULL,
  name TEXT NOT NULL,
  value REAL,
  PRIMARY KEY (run_id, day, name)) WITHOUT ROWID;
)sql";

// A prepared statement, finalised on scope exit.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return stmt_; }
  void Text(int i, const std::string& v) { sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT); }
  void Int(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void Real(int i, double v) {
    if (v != v) {
      sqlite3_bind_null(stmt_, i);  // NaN is not a REAL in SQLite
    } else {
      sqlite3_bind_double(stmt_, i, v);
    }
  }
  void Null(int i) { sqlite3_bind_null(stmt_, i); }
  int Step() { return sqlite3_step(stmt_); }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string ColText(int i) {
    const unsigned char* t = sqlite3_column_text(stmt_, i);
    return t == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(t));
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

std::string UtcNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

RunKey KeyOf(const StudySpec& spec, const PlannedRun& run) {
  const Arm& arm = spec.arms[run.arm];
  return {arm.name, run.seed, arm.scenario_hash};
}

StudyStore::~StudyStore() { Close(); }

void StudyStore::Close() {
  if (db_ != nullptr) sqlite3_close(db_);
  db_ = nullptr;
}

Status StudyStore::Error(const std::string& what) const {
  return Status::Error(path_ + ": " + what + ": " + (db_ != nullptr ? sqlite3_errmsg(db_) : "cannot open"));
}

Status StudyStore::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = err != nullptr ? err : "unknown error";
    sqlite3_free(err);
    return Status::Error(path_ + ": " + message);
  }
  return Status::Ok();
}

Status StudyStore::Open(const std::string& path) {
  Close();
  path_ = path;
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    Status s = Error("cannot open the study database");
    Close();
    return s;
  }
  sqlite3_busy_timeout(db_, 10000);
  if (Status s = Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"); !s.ok()) return s;
  if (Status s = Exec(kSchema); !s.ok()) return s;
  Stmt get(db_, "SELECT value FROM meta WHERE key = 'format_version'");
  if (!get.ok()) return Error("reading the format version");
  if (get.Step() == SQLITE_ROW) {
    const std::string version = get.ColText(0);
    if (std::atoi(version.c_str()) != kFormatMajor) {
      return Status::Error(path + ": study database format " + version + " is not readable by this build (format " +
                           std::to_string(kFormatMajor) + ".x); use another --out folder");
    }
    return Status::Ok();
  }
  Stmt put(db_, "INSERT INTO meta(key, value) VALUES ('format_version', ?1)");
  put.Text(1, std::to_string(kFormatMajor) + "." + std::to_string(kFormatMinor));
  if (put.Step() != SQLITE_DONE) return Error("writing the format version");
  return Status::Ok();
}

Status StudyStore::CheckSameStudy(const StudySpec& spec) {
  Stmt q(db_, "SELECT name, base_scenario, study_path FROM study WHERE id = 1");
  if (!q.ok()) return Error("reading the study");
  const int rc = q.Step();
  if (rc == SQLITE_DONE) return Status::Ok();
  if (rc != SQLITE_ROW) return Error("reading the study");
  const std::string name = q.ColText(0), base = q.ColText(1), path = q.ColText(2);
  if (name == spec.name && base == spec.proto.base_scenario()) return Status::Ok();
  return Status::Error(path_ + " holds the runs of study \"" + name + "\" (" + path + ", base scenario " + base +
                       "), not of study \"" + spec.name + "\" (" + spec.path + ", base scenario " +
                       spec.proto.base_scenario() + ")");
}

Status StudyStore::WriteStudy(const StudySpec& spec, const std::string& study_text) {
  if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  auto fail = [&](const std::string& what) {
    Status s = Error(what);
    (void)Exec("ROLLBACK");
    return s;
  };
  if (Status s = Exec("DELETE FROM arm_overrides; DELETE FROM arms; DELETE FROM study;"); !s.ok()) {
    (void)Exec("ROLLBACK");
    return s;
  }
  Stmt study(db_, "INSERT INTO study VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  study.Text(1, spec.name);
  study.Text(2, spec.path);
  study.Text(3, spec.proto.base_scenario());
  study.Int(4, spec.replications);
  study.Int(5, static_cast<int64_t>(spec.seed));
  study.Int(6, spec.counterfactual ? 1 : 0);
  if (spec.baseline >= 0) {
    study.Text(7, spec.arms[spec.baseline].name);
  } else {
    study.Null(7);
  }
  study.Text(8, study_text);
  if (study.Step() != SQLITE_DONE) return fail("writing the study");
  Stmt arm(db_, "INSERT INTO arms VALUES (?1, ?2, ?3, ?4, ?5)");
  Stmt over(db_, "INSERT INTO arm_overrides VALUES (?1, ?2, ?3, ?4)");
  for (size_t a = 0; a < spec.arms.size(); ++a) {
    arm.Reset();
    arm.Int(1, static_cast<int64_t>(a));
    arm.Text(2, spec.arms[a].name);
    arm.Text(3, spec.arms[a].description);
    arm.Int(4, static_cast<int>(a) == spec.baseline ? 1 : 0);
    arm.Text(5, spec.arms[a].scenario_hash);
    if (arm.Step() != SQLITE_DONE) return fail("writing arm " + spec.arms[a].name);
    for (size_t i = 0; i < spec.arms[a].overrides.size(); ++i) {
      std::string_view p, v;
      scenario::SplitAssignment(spec.arms[a].overrides[i], &p, &v);
      over.Reset();
      over.Int(1, static_cast<int64_t>(a));
      over.Int(2, static_cast<int64_t>(i));
      over.Text(3, std::string(p));
      over.Text(4, std::string(v));
      if (over.Step() != SQLITE_DONE) return fail("writing the overrides of arm " + spec.arms[a].name);
    }
  }
  return Exec("COMMIT");
}

Status StudyStore::CommittedOk(std::set<RunKey>* keys) {
  keys->clear();
  Stmt q(db_, "SELECT arm, seed, scenario_hash FROM runs WHERE status = 'ok'");
  if (!q.ok()) return Error("reading committed runs");
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
    keys->emplace(q.ColText(0), static_cast<uint64_t>(sqlite3_column_int64(q.get(), 1)), q.ColText(2));
  }
  return rc == SQLITE_DONE ? Status::Ok() : Error("reading committed runs");
}

Status StudyStore::Commit(const StudySpec& spec, const PlannedRun& run, const RunRecord& rec) {
  const RunKey key = KeyOf(spec, run);
  if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  auto fail = [&](const std::string& what) {
    Status s = Error(what);
    (void)Exec("ROLLBACK");
    return s;
  };
  Stmt del(db_, "DELETE FROM runs WHERE arm = ?1 AND seed = ?2 AND scenario_hash = ?3");
  del.Text(1, std::get<0>(key));
  del.Int(2, static_cast<int64_t>(std::get<1>(key)));
  del.Text(3, std::get<2>(key));
  if (del.Step() != SQLITE_DONE) return fail("replacing an earlier attempt");
  Stmt ins(db_,
           "INSERT INTO runs(arm, replication, seed, scenario_hash, status, error, wall_s, threads, finished_utc) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  ins.Text(1, std::get<0>(key));
  ins.Int(2, run.replication);
  ins.Int(3, static_cast<int64_t>(run.seed));
  ins.Text(4, std::get<2>(key));
  ins.Text(5, rec.ok ? "ok" : "failed");
  if (rec.ok) {
    ins.Null(6);
  } else {
    ins.Text(6, rec.error);
  }
  ins.Real(7, rec.wall_s);
  ins.Int(8, rec.threads);
  ins.Text(9, UtcNow());
  if (ins.Step() != SQLITE_DONE) return fail("committing a run of arm " + std::get<0>(key));
  const int64_t run_id = sqlite3_last_insert_rowid(db_);
  Stmt m(db_, "INSERT INTO measures VALUES (?1, ?2, ?3, ?4)");
  for (size_t i = 0; i < rec.measures.names.size(); ++i) {
    m.Reset();
    m.Int(1, run_id);
    m.Int(2, static_cast<int64_t>(i));
    m.Text(3, rec.measures.names[i]);
    m.Real(4, rec.measures.values[i]);
    if (m.Step() != SQLITE_DONE) return fail("committing measure " + rec.measures.names[i]);
  }
  Stmt d(db_, "INSERT INTO daily VALUES (?1, ?2, ?3, ?4)");
  const size_t per_day = rec.daily_names.size();
  for (uint32_t day = 0; per_day > 0 && day < rec.days; ++day) {
    for (size_t i = 0; i < per_day; ++i) {
      d.Reset();
      d.Int(1, run_id);
      d.Int(2, day);
      d.Text(3, rec.daily_names[i]);
      d.Real(4, rec.daily_values[day * per_day + i]);
      if (d.Step() != SQLITE_DONE) return fail("committing the daily series");
    }
  }
  return Exec("COMMIT");
}

Status StudyStore::ReadPlanned(const StudySpec& spec, const std::vector<PlannedRun>& plan, std::vector<StoredRun>* out) {
  out->assign(plan.size(), StoredRun());
  Stmt run(db_, "SELECT run_id, status, error FROM runs WHERE arm = ?1 AND seed = ?2 AND scenario_hash = ?3");
  Stmt m(db_, "SELECT name, value FROM measures WHERE run_id = ?1 ORDER BY position");
  if (!run.ok() || !m.ok()) return Error("reading runs");
  for (size_t i = 0; i < plan.size(); ++i) {
    const RunKey key = KeyOf(spec, plan[i]);
    run.Reset();
    run.Text(1, std::get<0>(key));
    run.Int(2, static_cast<int64_t>(std::get<1>(key)));
    run.Text(3, std::get<2>(key));
    const int rc = run.Step();
    if (rc == SQLITE_DONE) continue;
    if (rc != SQLITE_ROW) return Error("reading runs");
    StoredRun& s = (*out)[i];
    s.present = true;
    s.ok = run.ColText(1) == "ok";
    s.error = run.ColText(2);
    const int64_t id = sqlite3_column_int64(run.get(), 0);
    m.Reset();
    m.Int(1, id);
    int mrc;
    while ((mrc = m.Step()) == SQLITE_ROW) {
      s.measures.names.push_back(m.ColText(0));
      s.measures.values.push_back(sqlite3_column_type(m.get(), 1) == SQLITE_NULL ? std::nan("")
                                                                                 : sqlite3_column_double(m.get(), 1));
    }
    if (mrc != SQLITE_DONE) return Error("reading measures");
  }
  return Status::Ok();
}

Status StudyStore::IntegrityCheck(std::string* result) {
  Stmt q(db_, "PRAGMA integrity_check");
  result->clear();
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) *result += (result->empty() ? "" : "\n") + q.ColText(0);
  return rc == SQLITE_DONE ? Status::Ok() : Error("integrity check");
}

}  // namespace clawsim::study
