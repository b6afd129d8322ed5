"""The ``diagram-engine`` command."""
from __future__ import annotations

import sys

import click

from .version import __version__
from .deadline import StepTimeout
from .core import bounds
from .errors import OptionError, UserError, VerificationError, WorkerDied

__all__ = ["main", "cli"]


class _CliError(UserError):
    """A library error already written as the command line says it."""


class _Command(click.Command):
    """Names the flag of a library argument that is wrong: ``OptionError("size", 10, ...)``
    reads ``Invalid value for '--size': 10 must be between 64 and 4096``."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except OptionError as e:
            params = {p.name: p for p in self.params}
            flag = _flag_namer(params)
            shown = "" if e.value is None else f"{e.value!r} " if isinstance(e.value, str) else f"{e.value} "
            raise _CliError(f"Invalid value for '{flag(e.arg, None)}': {shown}{e.text(flag)}") from None


def _flag_namer(params: dict):
    """``flag(name, value)``: the flag of the library argument ``name`` (``shard_size`` ->
    ``--shard-size``; ``svg`` with ``False`` -> ``--no-svg``)."""
    aliases = {"domain": "domains", "rule_paths": "rules"}

    def flag(name: str, value) -> str:
        p = params.get(name) or params.get(aliases.get(name, ""))
        opt = max(p.opts, key=len) if p is not None and getattr(p, "opts", None) else "--" + name.replace("_", "-")
        if value is None or value == "True":
            return opt
        if value == "False":
            return p.secondary_opts[0] if p is not None and getattr(p, "secondary_opts", None) else f"no {opt}"
        return f"{opt} {value}"
    return flag


class _Group(click.Group):
    """Turns engine errors into one line on stderr and an exit code; never a traceback."""
    command_class = _Command
    group_class = type

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UserError as e:
            click.echo(f"Error: {e}", err=True)
            ctx.exit(2)
        except (VerificationError, StepTimeout) as e:
            click.echo(f"Internal error (a bug in diagram-engine, please report it): {e}", err=True)
            ctx.exit(3)
        except WorkerDied as e:
            click.echo(f"Error: {e}", err=True)
            ctx.exit(5)
        except OSError as e:
            # the file system refused (read-only, full, a name too long, a folder that is a file):
            # every write is atomic, so what is on disk is whole and a run can be resumed
            click.echo(f"Error: {_os_error(e)}", err=True)
            ctx.exit(6)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


def _os_error(e: OSError) -> str:
    import errno
    where = f" ({e.filename})" if getattr(e, "filename", None) else ""
    what = e.strerror or str(e)
    hint = {errno.ENOSPC: "free some space, then run the same command with --resume",
            errno.EDQUOT: "free some space, then run the same command with --resume",
            errno.EROFS: "the folder is on a read-only file system: choose another --out",
            errno.EACCES: "no permission to write there: choose another --out",
            errno.EPERM: "no permission to write there: choose another --out",
            errno.ENAMETOOLONG: "choose a shorter --out name",
            errno.ENOTDIR: "a part of the path is a file, not a folder: choose another --out",
            errno.EEXIST: "a file is in the way: choose another --out"}.get(e.errno, "")
    return f"{what}{where}" + (f"; {hint}" if hint else "")


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="diagram-engine")
def cli():
    """Synthesize visual-math training data: diagrams, captions and verified problems."""


def _domains():
    from .core.registry import DOMAINS
    return sorted(DOMAINS)


def _mix_example():
    from .dataset import mix_example
    return mix_example()


_FORMATS = ("jsonl", "llava", "sharegpt", "imagefolder", "parquet", "webdataset")


@cli.command()
@click.option("--domain", "domains", multiple=True, type=click.Choice(_domains()),
              help="Which domain to generate (repeatable: the domains share the samples equally).")
@click.option("--mix", default=None, metavar="DOMAIN=SHARE,...",
              help="Several domains with stated shares, e.g. " + _mix_example() + ".")
@click.option("--count", required=True, type=bounds.COUNT.click(), help="Number of samples.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--seed", default=0, show_default=True, type=bounds.SEED.click(), help="Base seed.")
@click.option("--workers", default=None, type=bounds.WORKERS.click(),
              help="Worker processes [default: CPU count].")
@click.option("--size", default=512, show_default=True, type=bounds.SIZE.click(),
              help="PNG width and height in pixels.")
@click.option("--rules", "rules", multiple=True, type=click.Path(exists=True),
              help="Extra rule file or folder (repeatable).")
@click.option("--only-rules", is_flag=True, help="Use only the --rules files, not the shipped ones.")
@click.option("--shard-size", default=1000, show_default=True, type=bounds.SHARD_SIZE.click(),
              help="Samples per shard file.")
@click.option("--format", "formats", multiple=True, type=click.Choice(_FORMATS),
              help="Also write the dataset in this format (repeatable); the JSONL folder is always written.")
@click.option("--rasterizer", default="cairo", show_default=True, type=click.Choice(["cairo", "cairosvg"]),
              help="PNG backend: direct cairo drawing, or cairosvg on the written SVG.")
@click.option("--svg/--no-svg", default=True, show_default=True,
              help="Write each sample's SVG (svg/<id>.svg); --no-svg leaves it out (faster where a domain "
              "draws its SVG separately, as matplotlib does).")
@click.option("--templates", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder of template sets (<folder>/<domain>/*.yaml) to use instead of the shipped ones.")
@click.option("--overwrite", is_flag=True, help="Replace the dataset in a non-empty --out folder.")
@click.option("--resume", is_flag=True, help="Finish the run that --out holds (the same command as before): "
              "done shards are kept, the rest are built again.")
@click.option("--shard-index", type=click.IntRange(0), default=None,
              help="With --num-shards: write only this slice of the shards (for job arrays).")
@click.option("--num-shards", type=click.IntRange(1), default=None, help="How many slices the run is cut into.")
@click.option("--executor", default="process", show_default=True, type=click.Choice(["process", "dask"]),
              help="Run on local worker processes, or as one task per shard on a Dask cluster.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="With --executor dask: the scheduler's address (e.g. tcp://10.0.0.5:8786).")
@click.option("--strict", is_flag=True,
              help="Stop at the first engine bug (a failed verification) instead of logging it to "
                   "OUT/errors.jsonl and building the sample from its next attempt.")
def generate(domains, mix, count, out, seed, workers, size, rules, only_rules, shard_size, formats, rasterizer,
             svg, templates, overwrite, resume, shard_index, num_shards, executor, scheduler, strict):
    """Generate COUNT samples of DOMAIN into the folder OUT.

    Exit status: 0 done; 2 bad input; 3 an engine bug stopped the run (with --strict, or a
    sample no attempt could build); 4 done, but some attempts hit an engine bug (each
    sample was built from a later attempt; see OUT/errors.jsonl); 130 interrupted."""
    from .dataset import generate as run
    if only_rules and not rules:
        raise click.UsageError("--only-rules needs at least one --rules PATH")
    if not domains and not mix:
        raise click.UsageError("Missing option '--domain' (or '--mix').")
    if overwrite and resume:
        raise click.UsageError("--overwrite and --resume exclude each other")
    summary = run(list(domains), count, out, seed=seed, workers=workers, size=size, rules=rules,
                  shard_size=shard_size, overwrite=overwrite, rasterizer=rasterizer,
                  include_shipped=not only_rules, templates=templates, formats=tuple(formats) or ("jsonl",),
                  resume=resume, shard_index=shard_index, num_shards=num_shards, executor=executor,
                  scheduler=scheduler, mix=mix, svg=svg, strict=strict)
    click.echo(summary.text())
    if summary.errors or summary.dataset_errors:
        click.echo(summary.error_line(), err=True)
        sys.exit(4)


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--out", "dest", required=True, type=click.Path(file_okay=False),
              help="The joined dataset (may be one of the sources, when the slices share a folder).")
def merge(sources, dest):
    """Join the slices of one run (generate --shard-index I --num-shards N) into one dataset."""
    from .dataset import merge as run
    m = run(sources, dest)
    click.echo(f"merged {m['shards']} shards ({m['count']} samples) into {dest}")


@cli.command()
@click.argument("dataset", type=click.Path(exists=True, file_okay=False))
def verify(dataset):
    """Check every file of a finished DATASET against the hashes its shards recorded."""
    from .dataset import verify as run
    problems = run(dataset)
    for p in problems[:50]:
        click.echo(p, err=True)
    if problems:
        more = " (first 50 shown)" if len(problems) > 50 else ""
        click.echo(f"{dataset}: {len(problems)} problem(s){more}; `generate ... --resume` with the same command "
                   "writes the damaged shards again", err=True)
        sys.exit(1)
    click.echo(f"{dataset}: every file matches its recorded hash")


@cli.command()
@click.argument("dataset", type=click.Path(exists=True, file_okay=False))
@click.argument("sample_id")
@click.option("--out", "dest", type=click.Path(file_okay=False), default=None,
              help="Also write the rebuilt record and files here.")
def regenerate(dataset, sample_id, dest):
    """Rebuild one sample of DATASET from its manifest and compare it with the stored one."""
    from .dataset import regenerate as run
    s, diffs = run(dataset, sample_id, dest)
    if diffs:
        click.echo(f"{sample_id}: rebuilt sample differs from {dataset} in: {', '.join(diffs)}", err=True)
        sys.exit(1)
    click.echo(f"{sample_id}: identical to the stored sample ({len(s.files)} files and the record)")


@cli.command("audit")
@click.argument("dataset")
@click.option("--json", "json_path", default=None, metavar="PATH", help="Write the figures here [default: "
              "DATASET/audit.json].")
@click.option("--max", "maxima", multiple=True, metavar="NAME=VALUE",
              help="Fail (exit 1) when a figure that should be low exceeds VALUE (repeatable; docs/audit.md).")
@click.option("--min", "minima", multiple=True, metavar="NAME=VALUE",
              help="Fail (exit 1) when a figure that should be high is below VALUE (repeatable).")
@click.option("--limit", type=click.IntRange(1), default=None, metavar="N", help="Audit only the first N records.")
def audit_command(dataset, json_path, maxima, minima, limit):
    """Report how much DATASET's problems need their images: options-only guessing, answers
    given away by the caption, labels or question, duplicates, identical variants (docs/audit.md)."""
    from .audit import audit as run
    from .audit import parse_thresholds
    thresholds = parse_thresholds(maxima, minima)
    report = run(dataset, max_records=limit, json_path=json_path)
    click.echo(report.text())
    violations = report.check(thresholds)
    for v in violations:
        click.echo(f"threshold exceeded: {v}")
    if violations:
        sys.exit(1)


@cli.group()
def rules():
    """List, check and describe rule files."""


@rules.command("list")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(exists=True),
              help="Also list the rules in this file or folder (repeatable).")
def rules_list(rule_paths):
    """The rules, and the vocabulary rule files can use: constructions, decorations,
    targets, measures, expression functions and template filters, with their parameters."""
    from .core.registry import DOMAINS
    from .reference import domains_text, vocabulary_text
    from .rules import load_rules
    loaded = load_rules(rule_paths)
    click.echo("Rules:")
    for r in loaded:
        click.echo(f"  {r.domain:18} {r.id:28} {getattr(r.spec, 'description', '')}")
        for line in DOMAINS[r.domain].describe_rule(r):
            click.echo(f"  {'':18} {'':28} {line}")
    click.echo("")
    click.echo(domains_text())
    click.echo(vocabulary_text())


@rules.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--templates", type=click.Path(exists=True, file_okay=False), default=None,
              help="Check against this template folder instead of the shipped one.")
@click.option("--samples", default=12, show_default=True, type=click.IntRange(0, 1000),
              help="Samples built per rule, rendering every phrasing of each template slot they use.")
def rules_validate(paths, templates, samples):
    """Check rule files, the templates they use and the domains' data files (the YAML files
    under a domain's data folder, or a given file inside one: `rules list` names the folders);
    with no PATHS, the shipped ones. Print FILE:LINE: field: message for each error, exit 2 when
    there is any."""
    from .rules import collect_data_files, data_folder_domain, shipped_rules_dir
    from .validate import validate_paths
    paths = list(paths) or [str(shipped_rules_dir())]
    rule_paths = [p for p in paths if data_folder_domain(p) is None]
    errors, n_files = validate_paths(rule_paths, templates=templates, samples=samples) if rule_paths else ([], 0)
    data = collect_data_files(paths)
    for dom, f in data:
        errors += dom.check_data_file(f)
    errors = list({str(e): e for e in errors}.values())     # once each, in the order found
    for e in errors:
        click.echo(str(e), err=True)
    if errors:
        click.echo(f"{len(errors)} error(s) in {len({e.path for e in errors})} file(s)", err=True)
        sys.exit(2)
    if n_files or not data:
        click.echo(f"{n_files} rule file(s) valid")
    counts: dict[str, int] = {}
    for dom, _ in data:
        counts[dom.data_folder] = counts.get(dom.data_folder, 0) + 1
    for folder, n in counts.items():
        click.echo(f"{n} {folder} file(s) valid")


@rules.command("schema")
def rules_schema():
    """Print the JSON Schema of a rule file (for editors with a YAML language server)."""
    from .core.schema import rule_schema_text
    click.echo(rule_schema_text(), nl=False)


def main():
    cli(prog_name="diagram-engine")


if __name__ == "__main__":
    main()
