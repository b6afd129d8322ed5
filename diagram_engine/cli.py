"""The ``diagram-engine`` command."""
from __future__ import annotations

import sys

import click

from . import __version__
from .errors import RuleError, UserError, VerificationError

__all__ = ["main", "cli"]


class _Group(click.Group):
    """Turns engine errors into one line on stderr and an exit code; never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UserError as e:
            click.echo(f"Error: {e}", err=True)
            ctx.exit(2)
        except VerificationError as e:
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
    from .domains import DOMAINS
    return sorted(DOMAINS)


@cli.command()
@click.option("--domain", required=True, type=click.Choice(_domains()), help="Which domain to generate.")
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
@click.option("--rasterizer", default="cairo", show_default=True, type=click.Choice(["cairo", "cairosvg"]),
              help="PNG backend: direct cairo drawing, or cairosvg on the written SVG.")
@click.option("--templates", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder of template sets (<folder>/<domain>/*.yaml) to use instead of the shipped ones.")
@click.option("--overwrite", is_flag=True, help="Replace the dataset in a non-empty --out folder.")
def generate(domain, count, out, seed, workers, size, rules, only_rules, shard_size, rasterizer, templates,
             overwrite):
    """Generate COUNT samples of DOMAIN into the folder OUT."""
    from .dataset import generate as run
    if only_rules and not rules:
        raise click.UsageError("--only-rules needs at least one --rules PATH")
    summary = run(domain, count, out, seed=seed, workers=workers, size=size, rules=rules,
                  shard_size=shard_size, overwrite=overwrite, rasterizer=rasterizer,
                  include_shipped=not only_rules, templates=templates)
    click.echo(summary.text())


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
    """Inspect and check rule files."""


@rules.command("list")
def rules_list():
    """List the shipped rules."""
    from .rules import load_rules
    for r in load_rules():
        desc = getattr(r.spec, "description", "")
        click.echo(f"{r.domain:16} {r.id:28} {desc}")


@rules.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def rules_validate(paths):
    """Check rule files; print FILE:LINE: field: message for each error."""
    from pathlib import Path

    from .rules import collect_rule_files, load_rule_file, shipped_rules_dir
    bad = 0
    files = collect_rule_files(paths)
    shipped = {f.resolve() for f in collect_rule_files([shipped_rules_dir()])}
    # ids already taken: the shipped rules (generate always loads them with --rules)
    seen: dict[str, str] = {}
    for f in sorted(shipped):
        try:
            seen.setdefault(load_rule_file(f).id, str(f))
        except UserError:
            pass
    for f in files:
        try:
            r = load_rule_file(f)
            if r.id in seen and seen[r.id] != str(Path(f).resolve()):
                raise RuleError(str(f), r.id_line, "id", f"duplicate rule id '{r.id}' (also in {seen[r.id]})")
            seen[r.id] = str(Path(f).resolve())
        except UserError as e:
            click.echo(str(e), err=True)
            bad += 1
    if bad:
        sys.exit(2)
    click.echo(f"{len(files)} rule file(s) valid")


def main():
    cli(prog_name="diagram-engine")


if __name__ == "__main__":
    main()
