/**
 * The trace file's SQLite schema, version `FORMAT_VERSION`. docs/trace-format.md documents every
 * table and column; keep the two in step. Bump rule: any change a reader of the previous version
 * would misread (a column's meaning, an encoding, a removed table) bumps FORMAT_VERSION; adding a
 * table or a nullable column that old readers can ignore does not.
 */

/** Version of the schema and the encodings inside its blobs. Readers refuse any other. */
export const FORMAT_VERSION = 4;

/** `PRAGMA application_id` of every trace: ASCII "wtrc". Tells a trace from any other SQLite file. */
export const APPLICATION_ID = 0x77747263;

export const SCHEMA_SQL = `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE modules (
  module_id   INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  file_name   TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  size        INTEGER NOT NULL,
  code_offset INTEGER,
  bytes       BLOB NOT NULL
) STRICT;

CREATE TABLE recording (
  id                INTEGER PRIMARY KEY CHECK (id = 1),
  status            TEXT NOT NULL CHECK (status IN ('recording', 'complete')),
  detail            TEXT NOT NULL CHECK (detail IN ('inputs', 'full')),
  started_at        TEXT NOT NULL,
  finished_at       TEXT,
  argv              TEXT NOT NULL,
  env               TEXT NOT NULL,
  preopens          TEXT NOT NULL,
  invoke            TEXT,
  stub_unknown      INTEGER NOT NULL,
  outcome           TEXT CHECK (outcome IN ('exit', 'trap')),
  exit_code         INTEGER,
  trap_message      TEXT,
  trap_function     INTEGER,
  trap_function_name TEXT,
  trap_pc           INTEGER,
  instruction_count INTEGER,
  detail_window_from INTEGER,
  detail_window_to  INTEGER,
  detail_last       INTEGER,
  import_call_count INTEGER,
  wtrace_version    TEXT NOT NULL,
  node_version      TEXT NOT NULL,
  arch              TEXT NOT NULL,
  platform          TEXT NOT NULL
) STRICT;

CREATE TABLE imports (
  function_index INTEGER PRIMARY KEY,
  module         TEXT NOT NULL,
  name           TEXT NOT NULL,
  params         TEXT NOT NULL,
  results        TEXT NOT NULL,
  stubbed        INTEGER NOT NULL,
  call_count     INTEGER
) STRICT;

CREATE TABLE input_chunks (
  chunk_index INTEGER PRIMARY KEY,
  first_call  INTEGER NOT NULL,
  call_count  INTEGER NOT NULL,
  first_time  INTEGER,
  last_time   INTEGER,
  codec       TEXT NOT NULL CHECK (codec IN ('raw', 'zstd')),
  raw_size    INTEGER NOT NULL,
  data        BLOB NOT NULL
) STRICT;

CREATE TABLE detail_chunks (
  chunk_index INTEGER PRIMARY KEY,
  first_time  INTEGER NOT NULL,
  end_time    INTEGER NOT NULL,
  event_count INTEGER NOT NULL,
  codec       TEXT NOT NULL CHECK (codec IN ('raw', 'zstd')),
  raw_size    INTEGER NOT NULL,
  data        BLOB NOT NULL
) STRICT;
CREATE INDEX detail_chunks_by_time ON detail_chunks (first_time);

CREATE TABLE keyframes (
  keyframe_index INTEGER PRIMARY KEY,
  time           INTEGER NOT NULL,
  memory_size    INTEGER NOT NULL,
  page_hashes    TEXT NOT NULL,
  globals        TEXT NOT NULL
) STRICT;
CREATE INDEX keyframes_by_time ON keyframes (time);

CREATE TABLE memory_pages (
  hash TEXT PRIMARY KEY,
  data BLOB NOT NULL
) STRICT;
`;
