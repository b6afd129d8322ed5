"""The ``diagram-engine`` command."""
from __future__ import annotations

import sys

import click

from .version import __version__
from .deadline import StepTimeout
from .errors import UserError, VerificationError

__all__ = ["main", "cli"]


class _Group(click.Group):
    """Turns engine errors into one line on stderr and an exit code; never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UserError as e:
            click.echo(f"Error: {e}", err=True)
            ctx.exit(2)
        except (VerificationError, StepTimeout) as e:
            click.echo(f"Internal error (a bug in diagram-engine, please report it): {e}", err=True)
            ctx.exit(3)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="diagram-engine")
def cli():
    """Synthesize visual-math training data: diagrams, captions and verified problems."""


def _domains():
    from .core.registry import DOMAINS
    return sorted(DOMAINS)


_FORMATS = ("jsonl", "llava", "sharegpt", "imagefolder", "parquet", "webdataset")


@cli.command()
@click.option("--domain", "domains", multiple=True, type=click.Choice(_domains()),
              help="Which domain to generate (repeatable: the domains share the samples equally).")
@click.option("--mix", default=None, metavar="DOMAIN=SHARE,...",
              help="Several domains with stated shares, e.g. plane-geometry=0.5,function=0.3,analytic-geometry=0.2.")
@click.option("--count", required=True, type=click.IntRange(1, 100_000_000), help="Number of samples.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0, 2 ** 63 - 1), help="Base seed.")
@click.option("--workers", default=None, type=click.IntRange(1, 512),
              help="Worker processes [default: CPU count].")
@click.option("--size", default=512, show_default=True, type=click.IntRange(64, 4096),
              help="PNG width and height in pixels.")
@click.option("--rules", "rules", multiple=True, type=click.Path(exists=True),
              help="Extra rule file or folder (repeatable).")
@click.option("--only-rules", is_flag=True, help="Use only the --rules files, not the shipped ones.")
@click.option("--shard-size", default=1000, show_default=True, type=click.IntRange(1, 1_000_000),
              help="Samples per shard file.")
@click.option("--format", "formats", multiple=True, type=click.Choice(_FORMATS),
              help="Also write the dataset in this format (repeatable); the JSONL folder is always written.")
@click.option("--rasterizer", default="cairo", show_default=True, type=click.Choice(["cairo", "cairosvg"]),
              help="PNG backend: direct cairo drawing, or cairosvg on the written SVG.")
@click.option("--svg/--no-svg", default=True, show_default=True,
              help="Write each sample's SVG (svg/<id>.svg); --no-svg leaves it out (charts draw faster).")
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
def generate(domains, mix, count, out, seed, workers, size, rules, only_rules, shard_size, formats, rasterizer,
             svg, templates, overwrite, resume, shard_index, num_shards, executor, scheduler):
    """Generate COUNT samples of DOMAIN into the folder OUT."""
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
                  scheduler=scheduler, mix=mix, svg=svg)
    click.echo(summary.text())


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


@cli.group()
def rules():
    """List, check and describe rule files."""


@rules.command("list")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(exists=True),
              help="Also list the rules in this file or folder (repeatable).")
def rules_list(rule_paths):
    """The rules, and the vocabulary rule files can use: constructions, decorations,
    targets, measures, expression functions and template filters, with their parameters."""
    from .reference import vocabulary_text
    from .rules import load_rules
    loaded = load_rules(rule_paths)
    click.echo("Rules:")
    for r in loaded:
        click.echo(f"  {r.domain:16} {r.id:28} {getattr(r.spec, 'description', '')}")
    defined = [(r, k, cs) for r in loaded for k, cs in getattr(r.compiled, "shapes", {}).items()]
    if defined:
        click.echo("\nShape kinds defined in rule files (usable in the rule that defines them):")
        for r, kind, cs in defined:
            click.echo(f"  {kind:22}{cs.doc or '(no doc)'}  [{r.id}: {r.path}]")
            for qn, how, (lo, hi) in cs.params:
                click.echo(f"  {'':22}  {qn}: {how} in [{lo}, {hi}]")
    click.echo("")
    click.echo(vocabulary_text())


@rules.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--templates", type=click.Path(exists=True, file_okay=False), default=None,
              help="Check against this template folder instead of the shipped one.")
@click.option("--samples", default=12, show_default=True, type=click.IntRange(0, 1000),
              help="Samples built per rule, rendering every phrasing of each template slot they use.")
def rules_validate(paths, templates, samples):
    """Check rule files, the templates they use and chart vocabulary files (the YAML files
    under a `vocabulary/` folder, or a given file inside one); with no PATHS, the shipped rules
    and vocabulary. Print FILE:LINE: field: message for each error, exit 2 when there is any."""
    from .rules import collect_vocabulary_files, is_vocabulary_path, shipped_rules_dir
    from .validate import validate_paths
    paths = list(paths) or [str(shipped_rules_dir())]
    rule_paths = [p for p in paths if not is_vocabulary_path(p)]
    errors, n_files = validate_paths(rule_paths, templates=templates, samples=samples) if rule_paths else ([], 0)
    vocab_files = collect_vocabulary_files(paths)
    if vocab_files:
        from .domains.chart.vocabulary import check_vocabulary
        for f in vocab_files:
            errors += check_vocabulary(f)[1]
    errors = list({str(e): e for e in errors}.values())     # once each, in the order found
    for e in errors:
        click.echo(str(e), err=True)
    if errors:
        click.echo(f"{len(errors)} error(s) in {len({e.path for e in errors})} file(s)", err=True)
        sys.exit(2)
    if n_files or not vocab_files:
        click.echo(f"{n_files} rule file(s) valid")
    if vocab_files:
        click.echo(f"{len(vocab_files)} vocabulary file(s) valid")


@rules.command("schema")
def rules_schema():
    """Print the JSON Schema of a rule file (for editors with a YAML language server)."""
    from .reference import rule_schema_text
    click.echo(rule_schema_text(), nl=False)


def main():
    cli(prog_name="diagram-engine")


if __name__ == "__main__":
    main()
