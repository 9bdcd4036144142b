"""A small run file reader for the end-to-end tests (cli, serve), written from
sim/run/RUN_FILE.md alone.

    import run_file
    pb2 = run_file.import_run_pb2(DIR)           # DIR holds the generated run_pb2.py
    f = run_file.read(PATH, pb2)                 # raises run_file.Error on any framing problem
    f.major, f.minor, f.header, f.chunks, f.footer

tests/run/read_run_file.py holds the same framing inside a script that checks one fixture;
this is the importable form, for tests that read files `clawsim run` really wrote.
"""
import struct
import sys
import zlib

MAGIC = b"CLAWRUN\0"
PREAMBLE_BYTES = 16
RECORD_HEADER_BYTES = 8
MAX_RECORD_BYTES = 64 << 20


class Error(Exception):
    pass


class RunFile:
    def __init__(self, path, major, minor, records):
        self.path = path
        self.major = major
        self.minor = minor
        self.records = records  # [(offset, payload bytes, Record)]
        kinds = [r.WhichOneof("body") for _, _, r in records]
        if not kinds or kinds[0] != "header":
            raise Error(f"{path}: the first record is not the header")
        if kinds[-1] != "footer":
            raise Error(f"{path}: the last record is not the footer")
        if set(kinds[1:-1]) - {"chunk"}:
            raise Error(f"{path}: records between header and footer are not all chunks: {sorted(set(kinds[1:-1]))}")
        self.header = records[0][2].header
        self.footer = records[-1][2].footer
        self.chunks = [r.chunk for _, _, r in records[1:-1]]
        self.chunk_payloads = [payload for _, payload, _ in records[1:-1]]

    def chunks_of(self, kind):
        """Chunks whose `rows` oneof is `kind`: daily, employees, audit or trace."""
        return [c for c in self.chunks if c.WhichOneof("rows") == kind]

    def rows(self, kind):
        """All rows of one kind, in file order."""
        field = {"daily": "rows", "employees": "rows", "audit": "records", "trace": "events"}[kind]
        out = []
        for c in self.chunks_of(kind):
            out.extend(getattr(getattr(c, kind), field))
        return out


def import_run_pb2(pb2_dir):
    sys.path.insert(0, pb2_dir)
    try:
        import run_pb2
    except ImportError as e:
        raise Error(f"cannot import run_pb2 from {pb2_dir} ({e}); build clawsim_run_proto_python and install "
                    "the protobuf module (Debian: apt install python3-protobuf)")
    return run_pb2


def read(path, run_pb2):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < PREAMBLE_BYTES:
        raise Error(f"{path}: truncated preamble ({len(data)} bytes)")
    if data[:8] != MAGIC:
        raise Error(f"{path}: bad magic {data[:8]!r}")
    major, minor = struct.unpack_from("<II", data, 8)
    records = []
    at = PREAMBLE_BYTES
    while at < len(data):
        if len(data) - at < RECORD_HEADER_BYTES:
            raise Error(f"{path}: truncated record header at byte {at}")
        length, crc = struct.unpack_from("<II", data, at)
        if length > MAX_RECORD_BYTES:
            raise Error(f"{path}: record length {length} over the limit at byte {at}")
        payload = data[at + RECORD_HEADER_BYTES : at + RECORD_HEADER_BYTES + length]
        if len(payload) != length:
            raise Error(f"{path}: truncated record at byte {at}")
        if zlib.crc32(data[at : at + 4] + payload) != crc:
            raise Error(f"{path}: checksum mismatch in record at byte {at}")
        record = run_pb2.Record()
        record.ParseFromString(payload)
        records.append((at, payload, record))
        at += RECORD_HEADER_BYTES + length
    return RunFile(path, major, minor, records)
