"""Grade a whole class: every submission of an export, in parallel, resumable, shardable.

    python -m grader batch EXPORT_DIR --out grades.csv [--jobs N] [--variant V]
                           [--items 1.1.2,...] [--shard i/n] [--resume] [--summary]
    python -m grader merge shard-*/grades.csv --out grades.csv

EXPORT_DIR is a Gradescope "Export Submissions" folder (one folder per
submission and ``submission_metadata.yml``) or simply one folder per student.
Each submission is graded by its own ``python -m grader run`` process, so
exactly as a single run grades it (same sandbox, limits and user drop); its
results.json goes to ``results/<id>.json`` next to the CSV, and a small
record of how the grading ended to ``results/<id>.batch.json``. Both are
written atomically and the CSV is rewritten after every submission, so a
killed batch loses only the submissions in flight, and ``--resume`` grades
only the submissions without a record from the same grader version.
"""

import csv
import hashlib
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from . import table
from .expected import EXPECTED_FILE
from .paths import SOURCE_ROOT
from .runner import write_results

METADATA_FILE = "submission_metadata.yml"
# Generous: the CNN and Q1 training jobs of one submission take minutes on a CPU.
SUBMISSION_TIMEOUT_S = 3600
# One grading uses at most one job's memory limit (4 GiB) plus the grader itself.
MEMORY_PER_SUBMISSION = 5 * 2**30
IDENTITY_COLUMNS = ("id", "name", "email", "sid")


@dataclass(frozen=True)
class Submission:
    """One folder of the export and who submitted it (empty strings when unknown)."""

    id: str
    folder: Path
    name: str = ""
    email: str = ""
    sid: str = ""


def _metadata_error(path, problem):
    return ValueError(
        f"{path} is not a Gradescope submission_metadata.yml: {problem}. Expected a mapping "
        "of submission folder names to {':submitters': [{':name': ..., ':email': ..., "
        "':sid': ...}]}; fix the file, or delete it to grade the folders without names"
    )


def read_metadata(path):
    """``{folder name: (names, emails, sids)}`` from Gradescope's metadata file."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise _metadata_error(path, f"it does not parse ({type(error).__name__})") from error
    if not isinstance(data, dict):
        raise _metadata_error(path, f"the top level is a {type(data).__name__}, not a mapping")
    people = {}
    for key, entry in data.items():
        submitters = entry.get(":submitters") if isinstance(entry, dict) else None
        if not isinstance(submitters, list) or not all(isinstance(s, dict) for s in submitters):
            raise _metadata_error(path, f"entry {key!r} has no list of :submitters")
        people[str(key)] = tuple("; ".join(str(s.get(field, "")) for s in submitters)
                                 for field in (":name", ":email", ":sid"))
    return people


def find_submissions(export_dir, skip=()):
    """The submissions of ``export_dir``, sorted by id; folders in ``skip`` are ignored."""
    export_dir = Path(export_dir)
    if not export_dir.is_dir():
        raise ValueError(f"{export_dir} is not a folder; pass the unzipped Gradescope export "
                         "(or a folder holding one folder per student)")
    skip = {Path(p).resolve() for p in skip}
    folders = {p.name: p for p in export_dir.iterdir()
               if p.is_dir() and not p.name.startswith(".") and p.resolve() not in skip}
    metadata = export_dir / METADATA_FILE
    people = read_metadata(metadata) if metadata.exists() else {}
    missing = sorted(set(people) - set(folders))
    if missing:
        raise ValueError(f"{metadata} lists submissions with no folder in {export_dir}: "
                         f"{', '.join(missing[:5])}; unzip the whole export")
    return [Submission(name, folders[name], *people.get(name, ("", "", "")))
            for name in sorted(folders)]


def parse_shard(text):
    """``"i/n"`` -> (i, n), with 1 <= i <= n."""
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        index = count = 0
    if not 1 <= index <= count:
        raise ValueError(f"--shard must be i/n with 1 <= i <= n (e.g. 2/3), got {text!r}")
    return index, count


def in_shard(submission_id, index, count):
    """Whether ``submission_id`` belongs to shard ``index`` of ``count``.

    A hash of the id, not its position, decides: every machine computes the
    same split, and it does not move when the export gains a submission.
    """
    digest = int(hashlib.sha256(submission_id.encode("utf-8")).hexdigest(), 16)
    return digest % count == index - 1


def grader_version():
    """Hash of expected.json and the grader's code: a grade is reused only within one version."""
    digest = hashlib.sha256(EXPECTED_FILE.read_bytes())
    for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def default_jobs(cores=None, available_bytes=None):
    """Submissions graded at once: two cores each, within the available memory."""
    cores = cores or os.cpu_count() or 1
    if available_bytes is None:
        available_bytes = _available_memory()
    return max(1, min(cores // 2, available_bytes // MEMORY_PER_SUBMISSION))


def _available_memory():
    """Bytes the kernel could hand out now (MemAvailable counts reclaimable caches too)."""
    try:
        with open("/proc/meminfo") as f:
            fields = dict(line.split(":", 1) for line in f)
        return int(fields["MemAvailable"].split()[0]) * 1024
    except (OSError, KeyError, ValueError):
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


class Batch:
    """The grading of one export (or one shard of it) into ``out_csv``."""

    def __init__(self, submissions, out_csv, variant="graduate", items=None, jobs=1,
                 timeout_scale=1.0, submission_timeout_s=SUBMISSION_TIMEOUT_S):
        self.submissions = submissions
        self.out_csv = Path(out_csv)
        self.results_dir = self.out_csv.parent / "results"
        self.variant, self.items, self.jobs = variant, items, jobs
        self.timeout_scale, self.submission_timeout_s = timeout_scale, submission_timeout_s
        self.numbers = list(table.weights(variant))
        self.version = grader_version()
        # Every submission's compute threads, so that N at once do not oversubscribe.
        self.threads = max(1, (os.cpu_count() or 1) // jobs)
        self.rows = {}
        self._running = {}
        self._lock = threading.Lock()
        self._stopping = False

    def record_path(self, submission):
        return self.results_dir / f"{submission.id}.batch.json"

    def results_path(self, submission):
        return self.results_dir / f"{submission.id}.json"

    def saved_row(self, submission):
        """The row of an earlier run of this batch, or None if it must be graded again."""
        try:
            record = json.loads(self.record_path(submission).read_text())
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("settings") != self.settings():
            return None
        return record.get("row")

    def settings(self):
        return {"grader_version": self.version, "variant": self.variant, "items": self.items,
                "timeout_scale": self.timeout_scale}

    def command(self, submission):
        cmd = [sys.executable, "-m", "grader", "run", "--submission", str(submission.folder),
               "--results", str(self.results_path(submission)), "--variant", self.variant,
               "--timeout-scale", str(self.timeout_scale), "--threads", str(self.threads)]
        return cmd + (["--items", ",".join(self.items)] if self.items else [])

    def grade(self, submission):
        """Grade one submission in its own process; returns its CSV row (None if stopped)."""
        start = time.monotonic()
        results_path = self.results_path(submission)
        if results_path.exists():
            results_path.unlink()
        proc = subprocess.Popen(self.command(submission), cwd=SOURCE_ROOT, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        with self._lock:
            if self._stopping:
                os.killpg(proc.pid, signal.SIGKILL)
            self._running[submission.id] = proc
        try:
            _, stderr = proc.communicate(timeout=self.submission_timeout_s)
            status, reason = "graded", ""
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            _, stderr = proc.communicate()
            status = "timeout"
            reason = f"grading took longer than {self.submission_timeout_s:g} s and was stopped"
        finally:
            with self._lock:
                self._running.pop(submission.id, None)
        if self._stopping:
            return None  # killed in flight: nothing is recorded, --resume grades it again
        results = None
        if status == "graded":
            try:
                results = json.loads(results_path.read_text())
            except (OSError, ValueError):
                lines = [line for line in stderr.strip().splitlines() if line.strip()]
                status = "error"
                reason = (f"grader exited with code {proc.returncode}: "
                          f"{lines[-1] if lines else 'no message'}")
        row = self.row(submission, results, status, reason, time.monotonic() - start)
        self.results_dir.mkdir(parents=True, exist_ok=True)
        write_results({"settings": self.settings(), "row": row}, self.record_path(submission))
        return row

    def row(self, submission, results, status, reason, seconds):
        row = {"id": submission.id, "name": submission.name, "email": submission.email,
               "sid": submission.sid, "status": status, "total": ""}
        row.update({number: "" for number in self.numbers})
        if results is not None:
            scores = {test["number"]: test["score"] for test in results["tests"]}
            row["total"] = results["score"]
            row.update({number: scores.get(number, "") for number in self.numbers})
            failed_jobs = [test["number"] for test in results["tests"]
                           if "timed out after" in test["output"]
                           or "before reporting a result" in test["output"]]
            if failed_jobs:
                reason = "code timed out or crashed in items " + ", ".join(failed_jobs)
        row.update({"seconds": round(seconds, 1), "reason": reason, "grader_version": self.version})
        return row

    def columns(self):
        return [*IDENTITY_COLUMNS, "status", "total", *self.numbers, "seconds", "reason",
                "grader_version"]

    def write_csv(self):
        """Rewrite the CSV with every row so far."""
        write_csv(self.out_csv, self.columns(), self.rows.values())

    def stop_running(self, *_):
        """Kill every grading in flight (on SIGTERM or Ctrl-C), then leave."""
        with self._lock:
            self._stopping = True
            for proc in self._running.values():
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        raise SystemExit(f"batch stopped; {len(self.rows)} of {len(self.submissions)} "
                         f"submissions are in {self.out_csv}; rerun with --resume to go on")

    def run(self, resume=False, log=print):
        """Grade every submission not already done; returns the rows by id."""
        todo = []
        for submission in self.submissions:
            row = self.saved_row(submission) if resume else None
            if row is None:
                todo.append(submission)
            else:
                self.rows[submission.id] = row
        log(f"{len(self.submissions)} submissions, {len(self.rows)} already graded, "
            f"{len(todo)} to grade with {self.jobs} at once ({self.threads} threads each)")
        self.write_csv()
        start = time.monotonic()
        previous = signal.signal(signal.SIGTERM, self.stop_running)
        pool = ThreadPoolExecutor(max_workers=self.jobs)
        try:
            futures = {pool.submit(self.grade, s): s for s in todo}
            for done, future in enumerate(as_completed(futures), 1):
                row = future.result()
                self.rows[row["id"]] = row
                self.write_csv()
                elapsed = time.monotonic() - start
                eta = elapsed / done * (len(todo) - done)
                log(f"[{done}/{len(todo)}] {row['id']}: {row['status']}, "
                    f"score {row['total'] if row['total'] != '' else '-'}, "
                    f"{row['seconds']:.0f} s; ETA {eta / 60:.1f} min"
                    + (f" ({row['reason']})" if row["reason"] else ""))
        except KeyboardInterrupt:
            self.stop_running()
        finally:
            signal.signal(signal.SIGTERM, previous)
            # After a stop, queued submissions must not start and nobody waits for them.
            pool.shutdown(wait=not self._stopping, cancel_futures=self._stopping)
        return self.rows


def item_summary(rows, weights):
    """Per item of ``weights`` ({number: points}): mean score and full-points rate, graded rows."""
    graded = [row for row in rows if row["status"] == "graded"]
    lines = [f"{'item':8} {'mean':>7} {'max':>5} {'pass rate':>9}"]
    for number in weights:
        scores = [float(row[number]) for row in graded if row[number] != ""]
        if scores:
            passed = sum(score == weights[number] for score in scores) / len(scores)
            lines.append(f"{number:8} {statistics.mean(scores):7.2f} {weights[number]:5g} "
                         f"{passed:9.0%}")
    return "\n".join(lines)


def write_csv(path, columns, rows):
    """Write ``rows`` (dicts) in id order to ``path`` atomically; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, columns)
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda row: row["id"]))
    os.replace(tmp, path)
    return path


def read_manifest(shard_csv):
    """The manifest ``grader batch --shard`` wrote beside ``shard_csv``."""
    path = Path(f"{shard_csv}.manifest.json")
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read {path} ({type(error).__name__}); merge only the CSVs "
                         "that `grader batch --shard i/n` wrote, with their manifests") from error


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, list(reader)


def merge(shard_csvs, out_csv):
    """Merge shard CSVs after checking they cover one export exactly once."""
    manifests = [read_manifest(path) for path in shard_csvs]
    counts = {m["shard"][1] for m in manifests}
    if len(counts) != 1:
        raise ValueError(f"the shards come from different splits (n = {sorted(counts)}); "
                         "merge the shards of one --shard i/n run")
    count = counts.pop()
    indices = sorted(m["shard"][0] for m in manifests)
    if indices != list(range(1, count + 1)):
        missing = sorted(set(range(1, count + 1)) - set(indices))
        repeated = sorted({i for i in indices if indices.count(i) > 1})
        raise ValueError(f"expected shards 1..{count} once each; missing {missing}, "
                         f"repeated {repeated}")
    exports = {tuple(m["export"]) for m in manifests}
    if len(exports) != 1:
        raise ValueError("the shards were graded from different exports (their submission "
                         "lists differ); grade every shard from the same export")
    header, rows = None, []
    for path in shard_csvs:
        fields, shard_rows = read_csv(path)
        if header is not None and fields != header:
            raise ValueError(f"{path} has other columns than {shard_csvs[0]}; grade every "
                             "shard with the same --variant and --items")
        header = fields
        rows.extend(shard_rows)
    ids = [row["id"] for row in rows]
    expected = sorted(exports.pop())
    if sorted(ids) != expected:
        absent = sorted(set(expected) - set(ids))
        doubled = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"the shards do not hold every submission exactly once: missing "
                         f"{absent[:5]}, more than once {doubled[:5]}; finish the shards with "
                         "--resume")
    return write_csv(out_csv, header, rows)


def run_batch(export_dir, out_csv, variant="graduate", items=None, jobs=None, shard=None,
              resume=False, timeout_scale=1.0, submission_timeout_s=SUBMISSION_TIMEOUT_S,
              log=print):
    """Grade ``export_dir`` (or shard ``(i, n)`` of it) into ``out_csv``; returns the rows."""
    out_csv = Path(out_csv)
    # The output may sit inside the export; its folders are not submissions.
    everyone = find_submissions(export_dir, skip=[out_csv.parent, out_csv.parent / "results"])
    chosen = [s for s in everyone if shard is None or in_shard(s.id, *shard)]
    batch = Batch(chosen, out_csv, variant, items, jobs or default_jobs(), timeout_scale,
                  submission_timeout_s)
    if shard is not None:
        manifest = {"shard": list(shard), "export": [s.id for s in everyone]}
        write_results(manifest, f"{out_csv}.manifest.json")
    rows = batch.run(resume=resume, log=log)
    return [rows[s.id] for s in chosen], batch
