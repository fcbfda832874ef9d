"""WordprocessingML of a document body: paragraphs, lists and tables in the reference's styles."""

from __future__ import annotations

import re

from ametijuhend_cli.render.restyling import Reference, xml_text

#: Paragraph styles a run-in heading may open ("2. Teenistuskoha eesmärk on …").
_RUN_IN_STYLES = ("normal", "numbered")


class Body:
    """Accumulates WordprocessingML for one document body."""

    def __init__(self, ref: Reference):
        self.ref = ref
        self.s = ref.styles
        self.out: list[str] = []
        self.last_was_table = False
        #: a run-in heading waiting for the paragraph it begins
        self.run_in = ""

    def run(self, text: str, style: str | None = None) -> str:
        rpr = f'<w:rPr><w:rStyle w:val="{self.s[style]}"/></w:rPr>' if style else ""
        return f'<w:r>{rpr}<w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>'

    def numbered_runs(self, number: str, text: str) -> str:
        """Return the runs of a numbered paragraph: the number, a tab, the text."""
        if not number:
            return self.run(text)
        return self.run(number) + "<w:r><w:tab/></w:r>" + self.run(text)

    def para(self, style: str, *runs: str, text: str | None = None, keep: bool = False) -> str:
        """Return a paragraph; ``keep`` keeps it on the page of the next one."""
        content = "".join(runs) + (self.run(text) if text is not None else "")
        if style in ("bullet", "bullet2"):
            lst = self.ref.bullet if style == "bullet" else self.ref.bullet2
            ppr = (
                f'<w:pStyle w:val="{lst.style_id}"/>'
                + ("<w:keepNext/>" if keep else "")
                + f'<w:numPr><w:ilvl w:val="{lst.level}"/><w:numId w:val="{lst.num_id}"/>'
                "</w:numPr>"
            )
        else:
            keep = keep or style in self.ref.keep_next
            ppr = f'<w:pStyle w:val="{self.s[style]}"/>' + ("<w:keepNext/>" if keep else "")
        return f"<w:p><w:pPr>{ppr}</w:pPr>{content}</w:p>"

    def _flush_run_in(self) -> None:
        """Add a run-in heading that found no paragraph to begin as a paragraph of its own."""
        if self.run_in:
            title, self.run_in = self.run_in, ""
            self.append(self.para("normal", self.run(title, "strong"), keep=True))

    def append(self, xml: str, *, table: bool = False) -> None:
        """Add a paragraph or table; two tables in a row are kept apart by an empty paragraph."""
        self._flush_run_in()
        if table and self.last_was_table:
            # Word merges two adjacent tables into one
            self.out.append(self.para("normal"))
        self.out.append(xml)
        self.last_was_table = table

    def add(self, style: str, text: str, *, keep: bool = False, number: str = "") -> None:
        """Add a paragraph of text (numbered: the number, a tab, the text)."""
        runs = self.numbered_runs(number, text)
        if self.run_in and style in _RUN_IN_STYLES:
            title, self.run_in = self.run_in, ""
            runs = self.run(title + " ", "strong") + runs
        self.append(self.para(style, runs, keep=keep))

    def keep_last(self) -> None:
        """Keep the last paragraph or table added on the page of what follows."""
        if not self.out:
            return
        last = self.out[-1]
        if last.startswith("<w:p>") and "<w:keepNext/>" not in last:
            self.out[-1] = re.sub(r'(<w:pStyle w:val="[^"]*"/>)', r"\1<w:keepNext/>", last, count=1)
        elif last.startswith("<w:tbl>"):
            # a table before the signatures goes with them: each of its paragraphs is
            # kept with the next (Word keeps the rows together and with what follows;
            # LibreOffice only so, not from its last row alone)
            self.out[-1] = re.sub(
                r'(<w:pStyle w:val="[^"]*"/>)(?!<w:keepNext/>)', r"\1<w:keepNext/>", last
            )

    def extend(self, paragraphs: list[str]) -> None:
        for paragraph in paragraphs:
            self.append(paragraph)

    def bullets(self, items: list[str], style: str = "bullet") -> list[str]:
        return [self.para(style, text=item) for item in items]

    def table(
        self,
        shares: list[int],
        rows: list[tuple[list[list[str]], bool]],
        *,
        style: str = "table",
        first_row: bool = True,
        first_col: bool = False,
        width: int = 0,
    ) -> None:
        """Add a table; each row is (cells as lists of paragraphs, is_header_row).

        A row of one cell in a table of more columns spans them all.
        """
        width = width or self.ref.text_width
        cols = [width * share // sum(shares) for share in shares]
        grid = "".join(f'<w:gridCol w:w="{c}"/>' for c in cols)
        # Word reads the conditional formats from the bitmask, LibreOffice from
        # the attributes: give both (0x20 first row, 0x80 first column, 0x200
        # and 0x400 no banding)
        mask = 0x600 | (0x20 if first_row else 0) | (0x80 if first_col else 0)
        look = (
            f'<w:tblLook w:val="{mask:04X}" w:firstRow="{int(first_row)}" w:lastRow="0" '
            f'w:firstColumn="{int(first_col)}" w:lastColumn="0" w:noHBand="1" '
            'w:noVBand="1"/>'
        )
        xml = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.s[style]}"/>'
            f'<w:tblW w:w="{sum(cols)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>{look}'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        ]
        for cells, header in rows:
            # a header row repeats on every page; no row is split across a page break
            trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
            xml.append(f"<w:tr><w:trPr>{trpr}</w:trPr>")
            if len(cells) == 1 and len(cols) > 1:
                xml.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{sum(cols)}" w:type="dxa"/>'
                    f'<w:gridSpan w:val="{len(cols)}"/></w:tcPr>'
                    + ("".join(cells[0]) or self.para("table_text"))
                    + "</w:tc>"
                )
            else:
                for col, paragraphs in zip(cols, cells, strict=True):
                    xml.append(
                        f'<w:tc><w:tcPr><w:tcW w:w="{col}" w:type="dxa"/></w:tcPr>'
                        + ("".join(paragraphs) or self.para("table_text"))
                        + "</w:tc>"
                    )
            xml.append("</w:tr>")
        xml.append("</w:tbl>")
        self.append("".join(xml), table=True)
