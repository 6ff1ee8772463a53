#!/usr/bin/env python3
"""Prints every failed step attempt of Opflow, read from opflow.step-events: a custom consumer
in Python, with Debian's python3-avro (1.11) and kcat, and nothing of Opflow's Java.

kcat reads the topic (committed records only) and frames each record as
"<value length> <headers>\\n<value bytes>"; this script decodes the values:

    kcat -C -b localhost:9092 -t opflow.step-events -o beginning -e -q \\
         -X isolation.level=read_committed -f '%S %h\\n%s' \\
      | python3 failure_printer.py --schemas DIR

DIR holds fingerprints.json and the schema files it names: io/opflow/schemas/ inside the
opflow-schemas jar, or schemas/src/main/resources/io/opflow/schemas/ in the repository. Leave -e
out to keep following the topic; use kcat -G GROUP TOPIC for a consumer group.

What to watch for with python3-avro 1.11 (see docs/event-contract.md):
- Never compute a fingerprint with it: its canonical form keeps {"type": "long"} for a field with
  a logical type (and {"type": "string"} for one with avro.java.string) where the Avro
  specification writes "long", so every fingerprint differs from the writer's. Look the 8 bytes
  of the record up in fingerprints.json instead.
- Parse the self-contained files (current/ and released/), not schemas/src/main/avro/: those
  refer to shared types in other files, which python3-avro resolves only when parsed first.
- Its DatumReader returns the value of a union without saying which branch it was; TaggingReader
  below adds the record's name as "@type", which is how a payload is told apart.
"""

import argparse
import io
import json
import os
import sys

import avro.errors
import avro.io
import avro.schema

MARKER = b"\xc3\x01"


class TaggingReader(avro.io.DatumReader):
    """A DatumReader that names the record chosen in each union ("@type": "StepFailed")."""

    def read_union(self, writers_schema, readers_schema, decoder):
        index = int(decoder.read_long())
        if index >= len(writers_schema.schemas):
            raise avro.errors.SchemaResolutionException(
                f"union branch {index} of {len(writers_schema.schemas)}", writers_schema, readers_schema)
        selected = writers_schema.schemas[index]
        datum = self.read_data(selected, selected, decoder)
        if isinstance(datum, dict) and selected.type == "record":
            datum = {"@type": selected.name, **datum}
        return datum


class OpflowDecoder:
    """Decodes Opflow records (Avro single-object encoding) with the shipped schemas."""

    def __init__(self, schemas_dir):
        with open(os.path.join(schemas_dir, "fingerprints.json"), encoding="utf-8") as f:
            self._entries = {e["fingerprint"]: e for e in json.load(f)["schemas"]}
        self._dir = schemas_dir
        self._readers = {}

    def decode(self, value):
        """Returns (full schema name, record as a dict); raises ValueError when it cannot."""
        if len(value) < 10 or value[:2] != MARKER:
            raise ValueError("not an Avro single-object record (no C3 01 marker)")
        fingerprint = value[2:10].hex()
        entry = self._entries.get(fingerprint)
        if entry is None:
            raise ValueError(f"unknown schema fingerprint {fingerprint}: update the schema files")
        decoder = avro.io.BinaryDecoder(io.BytesIO(value[10:]))
        return entry["name"], self._reader(entry).read(decoder)

    def _reader(self, entry):
        reader = self._readers.get(entry["fingerprint"])
        if reader is None:
            with open(os.path.join(self._dir, entry["file"]), encoding="utf-8") as f:
                reader = TaggingReader(avro.schema.parse(f.read()))
            self._readers[entry["fingerprint"]] = reader
        return reader


def frames(stream):
    """Yields (headers, value) from kcat's '%S %h\\n%s' output."""
    while True:
        line = stream.readline()
        if not line:
            return
        size, _, headers = line.rstrip(b"\n").partition(b" ")
        length = int(size)
        value = stream.read(length) if length > 0 else None
        yield parse_headers(headers.decode("utf-8", "replace")), value


def parse_headers(text):
    pairs = (item.partition("=") for item in text.split(",") if item)
    return {key: val for key, _, val in pairs}


def describe(event):
    error = event["payload"]["error"]
    message = error["message"]
    return (f"FAILED run={event['runId']} step={event['stepKey']} attempt={event['attempt']}"
            f" error={error['type']}: {message}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemas", required=True, help="folder holding fingerprints.json")
    args = parser.parse_args()
    decoder = OpflowDecoder(args.schemas)
    for headers, value in frames(sys.stdin.buffer):
        if value is None:
            continue
        try:
            _, event = decoder.decode(value)
        except Exception as e:  # whatever the bytes were: say so and move on, as the Java example does
            print(f"skipping an undecodable record ({headers.get('opflow.event-type', '?')}): {e}",
                  file=sys.stderr)
            continue
        if event["payload"]["@type"] == "StepFailed":
            print(describe(event), flush=True)


if __name__ == "__main__":
    main()
