"""Write the built-in reference document (templates/reference.docx) that holds all DOCX styles.

The file is generated rather than drawn in Word so that it is small, clean
(no user names, no revision ids) and reviewable; an agency restyles its own
copy in Word or LibreOffice and puts it in its project's templates/ folder.
"""

from __future__ import annotations

from ametijuhend_cli.render.package import W_NS, write_package

# Twentieths of a point. A4 with 2.5 cm left and 2 cm other margins.
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN_LEFT, MARGIN_OTHER = 1418, 1134
FONT = "Arial"

_NS = (
    f'xmlns:w="{W_NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _style(
    kind: str,
    style_id: str,
    name: str,
    *,
    ppr: str = "",
    rpr: str = "",
    based_on: str | None = "Normal",
    next_style: str | None = None,
    extra: str = "",
    default: bool = False,
    custom: bool = False,
    gallery: bool = False,
    hidden: str = "",
) -> str:
    """Return one w:style, its children in the order of the schema's CT_Style.

    ``custom`` marks our own styles (not Word's built-in ones), ``gallery``
    the styles a person picks from the quick style gallery (w:qFormat),
    ``hidden`` holds w:uiPriority and w:semiHidden, which come before it.
    """
    attrs = f'w:type="{kind}"' + (' w:default="1"' if default else "")
    attrs += (' w:customStyle="1"' if custom else "") + f' w:styleId="{style_id}"'
    body = f'<w:name w:val="{name}"/>'
    if based_on:
        body += f'<w:basedOn w:val="{based_on}"/>'
    if next_style:
        body += f'<w:next w:val="{next_style}"/>'
    body += hidden + ("<w:qFormat/>" if gallery else "")
    if ppr:
        body += f"<w:pPr>{ppr}</w:pPr>"
    if rpr:
        body += f"<w:rPr>{rpr}</w:rPr>"
    return f"<w:style {attrs}>{body}{extra}</w:style>"


_BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)
_CELL_MARGINS = (
    '<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
    '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
    "</w:tblCellMar>"
)


def _hidden(priority: int) -> str:
    """Return the elements that keep a style out of Word's lists until it is used."""
    return f'<w:uiPriority w:val="{priority}"/><w:semiHidden/><w:unhideWhenUsed/>'


def styles_xml() -> str:
    """Return word/styles.xml: every style the renderer refers to by name."""
    defaults = (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
        '<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="et-EE" w:eastAsia="et-EE" '
        'w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="80" w:line="264" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    styles = [
        _style(
            "paragraph",
            "Normal",
            "Normal",
            based_on=None,
            default=True,
            gallery=True,
            ppr="<w:widowControl/>",
        ),
        _style(
            "character",
            "DefaultParagraphFont",
            "Default Paragraph Font",
            based_on=None,
            default=True,
            hidden=_hidden(1),
        ),
        _style(
            "table",
            "TableNormal",
            "Normal Table",
            based_on=None,
            default=True,
            hidden=_hidden(99),
            extra='<w:tblPr><w:tblInd w:w="0" w:type="dxa"/>' + _CELL_MARGINS + "</w:tblPr>",
        ),
        _style("numbering", "NoList", "No List", based_on=None, default=True, hidden=_hidden(99)),
        _style(
            "paragraph",
            "Title",
            "Title",
            next_style="Normal",
            gallery=True,
            hidden='<w:uiPriority w:val="10"/>',
            ppr='<w:keepNext/><w:spacing w:before="240" w:after="240"/><w:jc w:val="center"/>',
            rpr='<w:b/><w:bCs/><w:spacing w:val="20"/><w:sz w:val="28"/><w:szCs w:val="28"/>',
        ),
        _style(
            "paragraph",
            "Banner",
            "Banner",
            next_style="Banner",
            custom=True,
            gallery=True,
            # the agency, the unit and the position over the title, as other
            # agencies' layouts put them (templates/layouts/)
            # space above the first line only (contextual spacing)
            ppr='<w:keepNext/><w:spacing w:before="240" w:after="0"/><w:contextualSpacing/>'
            '<w:jc w:val="center"/>',
            rpr="<w:b/><w:bCs/>",
        ),
        _style(
            "paragraph",
            "Subtitle",
            "Subtitle",
            next_style="Normal",
            gallery=True,
            hidden='<w:uiPriority w:val="11"/>',
            ppr='<w:keepNext/><w:spacing w:before="0" w:after="240"/><w:jc w:val="center"/>',
        ),
        _style(
            "paragraph",
            "Heading1",
            "heading 1",
            next_style="Normal",
            gallery=True,
            hidden='<w:uiPriority w:val="9"/>',
            ppr='<w:keepNext/><w:keepLines/><w:spacing w:before="280" w:after="120"/>'
            '<w:outlineLvl w:val="0"/>',
            rpr='<w:b/><w:bCs/><w:sz w:val="22"/><w:szCs w:val="22"/>',
        ),
        _style(
            "paragraph",
            "Heading2",
            "heading 2",
            next_style="Normal",
            gallery=True,
            hidden='<w:uiPriority w:val="9"/>',
            ppr='<w:keepNext/><w:keepLines/><w:spacing w:before="200" w:after="80"/>'
            '<w:outlineLvl w:val="1"/>',
            rpr="<w:b/><w:bCs/>",
        ),
        _style(
            "paragraph",
            "LeadIn",
            "Lead-in",
            next_style="ListBullet",
            custom=True,
            gallery=True,
            ppr="<w:keepNext/>",
        ),
        _style(
            "paragraph",
            "NumberedParagraph",
            "Numbered Paragraph",
            custom=True,
            gallery=True,
            # "4.1<tab>text": the number hangs, the text lines up after it
            ppr='<w:tabs><w:tab w:val="left" w:pos="709"/></w:tabs>'
            '<w:spacing w:after="60"/><w:ind w:left="709" w:hanging="709"/>',
        ),
        _style(
            "paragraph",
            "NumberedParagraph2",
            "Numbered Paragraph 2",
            based_on="NumberedParagraph",
            custom=True,
            gallery=True,
            # the parts of a numbered item (3.1.1), a step further in
            ppr='<w:tabs><w:tab w:val="left" w:pos="1560"/></w:tabs>'
            '<w:ind w:left="1560" w:hanging="851"/>',
        ),
        _style(
            "paragraph",
            "Competency",
            "Competency",
            next_style="ListBullet",
            custom=True,
            gallery=True,
            ppr='<w:keepNext/><w:spacing w:before="120" w:after="40"/>',
            rpr="<w:b/><w:bCs/>",
        ),
        _style(
            "paragraph",
            "ListBullet",
            "List Bullet",
            ppr='<w:numPr><w:numId w:val="1"/></w:numPr>'
            '<w:spacing w:after="40"/><w:ind w:left="357" w:hanging="357"/>',
        ),
        _style(
            "paragraph",
            "ListBullet2",
            "List Bullet 2",
            ppr='<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>'
            '<w:spacing w:after="40"/><w:ind w:left="714" w:hanging="357"/>',
        ),
        _style(
            "paragraph",
            "TableHeading",
            "Table Heading",
            custom=True,
            gallery=True,
            ppr='<w:keepNext/><w:spacing w:after="40"/>',
            rpr="<w:b/><w:bCs/>",
        ),
        _style(
            "paragraph",
            "TableText",
            "Table Text",
            custom=True,
            gallery=True,
            ppr='<w:spacing w:after="40"/>',
        ),
        _style(
            "paragraph",
            "Approval",
            "Approval",
            custom=True,
            gallery=True,
            ppr='<w:spacing w:after="0"/><w:ind w:left="5103"/>',
        ),
        _style(
            "paragraph",
            "SignatureHeading",
            "Signature Heading",
            next_style="Signature",
            custom=True,
            gallery=True,
            ppr='<w:keepNext/><w:spacing w:before="480" w:after="120"/>',
        ),
        _style("paragraph", "Signature", "Signature", ppr='<w:keepNext/><w:spacing w:after="0"/>'),
        _style("paragraph", "Header", "header", ppr='<w:spacing w:after="0"/>'),
        _style(
            "paragraph",
            "Footer",
            "footer",
            ppr='<w:spacing w:after="0"/><w:jc w:val="center"/>',
            rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>',
        ),
        _style(
            "character",
            "Strong",
            "Strong",
            based_on="DefaultParagraphFont",
            gallery=True,
            hidden='<w:uiPriority w:val="22"/>',
            rpr="<w:b/><w:bCs/>",
        ),
        _style(
            "table",
            "TableGrid",
            "Table Grid",
            based_on="TableNormal",
            hidden='<w:uiPriority w:val="39"/>',
            extra="<w:tblPr><w:tblBorders>" + _BORDERS + "</w:tblBorders></w:tblPr>"
            '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
            '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/></w:tcPr>'
            "</w:tblStylePr>"
            '<w:tblStylePr w:type="firstCol"><w:rPr><w:b/><w:bCs/></w:rPr>'
            '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/></w:tcPr>'
            "</w:tblStylePr>",
        ),
        _style(
            "table",
            "SignatureTable",
            "Signature Table",
            based_on="TableNormal",
            custom=True,
            # no borders, and no cell margin on the left: the signatures line
            # up with the text above them; the right margin parts the columns
            extra='<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>'
            + "".join(
                f'<w:{s} w:val="nil"/>'
                for s in ("top", "left", "bottom", "right", "insideH", "insideV")
            )
            + '</w:tblBorders><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
            '<w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
            '<w:right w:w="284" w:type="dxa"/></w:tblCellMar></w:tblPr>',
        ),
        _style(
            "table",
            "AcknowledgementTable",
            "Acknowledgement Table",
            based_on="TableNormal",
            custom=True,
            # a line to write on under each row (borders in the schema's order)
            extra='<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>'
            + "".join(
                f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
                if s in ("bottom", "insideH")
                else f'<w:{s} w:val="nil"/>'
                for s in ("top", "left", "bottom", "right", "insideH", "insideV")
            )
            + "</w:tblBorders>"
            '<w:tblCellMar><w:top w:w="160" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
            '<w:bottom w:w="20" w:type="dxa"/><w:right w:w="284" w:type="dxa"/></w:tblCellMar>'
            "</w:tblPr>",
        ),
    ]
    return f"{_HEAD}<w:styles {_NS}>{defaults}{''.join(styles)}</w:styles>"


def numbering_xml() -> str:
    """Return word/numbering.xml: the bullet list used by the List Bullet styles."""
    levels = []
    for level, (glyph, left) in enumerate([("\u25aa", 357), ("\u2013", 714), ("\u25aa", 1071)]):
        levels.append(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
            f'<w:lvlText w:val="{glyph}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left}" w:hanging="357"/></w:pPr>'
            f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:hint="default"/>'
            "</w:rPr></w:lvl>"
        )
    return (
        f"{_HEAD}<w:numbering {_NS}>"
        '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>'
        f"{''.join(levels)}</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    )


def settings_xml() -> str:
    """Return word/settings.xml."""
    return (
        f'{_HEAD}<w:settings {_NS}><w:zoom w:percent="100"/>'
        '<w:defaultTabStop w:val="709"/><w:hyphenationZone w:val="425"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        '<w:themeFontLang w:val="et-EE"/></w:settings>'
    )


def font_table_xml() -> str:
    """Return word/fontTable.xml: the one font the styles use."""
    return (
        f'{_HEAD}<w:fonts {_NS}><w:font w:name="{FONT}"><w:panose1 w:val="020B0604020202020204"/>'
        '<w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
        "</w:fonts>"
    )


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def theme_xml() -> str:
    """Return word/theme/theme1.xml: Office's colours, our font, plain fills and lines."""
    colours = "".join(
        f'<a:{name}><a:srgbClr val="{rgb}"/></a:{name}>'
        for name, rgb in [
            ("dk1", "000000"),
            ("lt1", "FFFFFF"),
            ("dk2", "44546A"),
            ("lt2", "E7E6E6"),
            ("accent1", "4472C4"),
            ("accent2", "ED7D31"),
            ("accent3", "A5A5A5"),
            ("accent4", "FFC000"),
            ("accent5", "5B9BD5"),
            ("accent6", "70AD47"),
            ("hlink", "0563C1"),
            ("folHlink", "954F72"),
        ]
    )
    font = f'<a:latin typeface="{FONT}"/><a:ea typeface=""/><a:cs typeface=""/>'
    fill = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="6350">{fill}</a:ln>'
    return (
        f'{_HEAD}<a:theme xmlns:a="{_A}" name="ametijuhend"><a:themeElements>'
        f'<a:clrScheme name="Office">{colours}</a:clrScheme>'
        f'<a:fontScheme name="ametijuhend"><a:majorFont>{font}</a:majorFont>'
        f"<a:minorFont>{font}</a:minorFont></a:fontScheme>"
        '<a:fmtScheme name="ametijuhend">'
        f"<a:fillStyleLst>{fill * 3}</a:fillStyleLst><a:lnStyleLst>{line * 3}</a:lnStyleLst>"
        "<a:effectStyleLst>" + "<a:effectStyle><a:effectLst/></a:effectStyle>" * 3 + ""
        f"</a:effectStyleLst><a:bgFillStyleLst>{fill * 3}</a:bgFillStyleLst></a:fmtScheme>"
        "</a:themeElements></a:theme>"
    )


def footer_xml() -> str:
    """Return word/footer1.xml: 'Lk X / Y' from the PAGE and NUMPAGES fields."""

    def field(instr: str) -> str:
        return (
            f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            '<w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )

    return (
        f'{_HEAD}<w:ftr {_NS}><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
        '<w:r><w:t xml:space="preserve">Lk </w:t></w:r>'
        + field("PAGE")
        + '<w:r><w:t xml:space="preserve"> / </w:t></w:r>'
        + field("NUMPAGES")
        + "</w:p></w:ftr>"
    )


def section_xml() -> str:
    """Return the body's section properties: A4, margins, the footer."""
    return (
        f'<w:sectPr><w:footerReference w:type="default" r:id="rId4"/>'
        f'<w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
        f'<w:pgMar w:top="{MARGIN_OTHER}" w:right="{MARGIN_OTHER}" w:bottom="{MARGIN_OTHER}" '
        f'w:left="{MARGIN_LEFT}" w:header="567" w:footer="567" w:gutter="0"/>'
        '<w:cols w:space="708"/></w:sectPr>'
    )


def _sample_body() -> str:
    def p(style: str, text: str) -> str:
        return (
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
            f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
        )

    cell = '<w:tc><w:tcPr><w:tcW w:w="4677" w:type="dxa"/></w:tcPr>{}</w:tc>'
    table = (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        '<w:tblGrid><w:gridCol w:w="4677"/><w:gridCol w:w="4677"/></w:tblGrid>'
        "<w:tr><w:trPr><w:tblHeader/></w:trPr>"
        + cell.format(p("TableHeading", "Table Heading"))
        + cell.format(p("TableHeading", "Table Grid"))
        + "</w:tr><w:tr>"
        + cell.format(p("TableText", "Table Text"))
        + cell.format(p("ListBullet", "List Bullet"))
        + "</w:tr></w:tbl>"
    )
    return "".join(
        [
            p("Approval", "Approval"),
            p("Title", "Title"),
            p("Heading1", "1. heading 1"),
            p(
                "Normal",
                "Normal. Restyle this document in Word or LibreOffice (fonts, margins, "
                "a logo in the header); the generated job descriptions take every style "
                "from it by name.",
            ),
            table,
            p("Heading2", "heading 2"),
            p("LeadIn", "Lead-in:"),
            p("ListBullet", "List Bullet"),
            p("ListBullet2", "List Bullet 2"),
            p("Competency", "Competency:"),
            p("ListBullet", "List Bullet"),
            p("SignatureHeading", "Signature Heading"),
            p("Signature", "Signature"),
        ]
    )


def reference_parts() -> dict[str, bytes]:
    """Return the parts of the built-in reference document."""
    content_types = (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        + "".join(
            f'<Override PartName="/{name}" ContentType="application/vnd.openxmlformats-'
            f'officedocument.{ctype}"/>'
            for name, ctype in [
                ("word/document.xml", "wordprocessingml.document.main+xml"),
                ("word/styles.xml", "wordprocessingml.styles+xml"),
                ("word/numbering.xml", "wordprocessingml.numbering+xml"),
                ("word/settings.xml", "wordprocessingml.settings+xml"),
                ("word/footer1.xml", "wordprocessingml.footer+xml"),
                ("word/fontTable.xml", "wordprocessingml.fontTable+xml"),
                ("word/theme/theme1.xml", "theme+xml"),
                ("docProps/app.xml", "extended-properties+xml"),
            ]
        )
        + '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml"/></Types>'
    )
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    root_rels = (
        f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
        'Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.'
        'openxmlformats.org/package/2006/relationships/metadata/core-properties" '
        f'Target="docProps/core.xml"/><Relationship Id="rId3" Type="{rel}/extended-properties" '
        'Target="docProps/app.xml"/></Relationships>'
    )
    doc_rels = (
        f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships">'
        f'<Relationship Id="rId1" Type="{rel}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/numbering" Target="numbering.xml"/>'
        f'<Relationship Id="rId3" Type="{rel}/settings" Target="settings.xml"/>'
        f'<Relationship Id="rId4" Type="{rel}/footer" Target="footer1.xml"/>'
        f'<Relationship Id="rId5" Type="{rel}/fontTable" Target="fontTable.xml"/>'
        f'<Relationship Id="rId6" Type="{rel}/theme" Target="theme/theme1.xml"/>'
        "</Relationships>"
    )
    document = (
        f"{_HEAD}<w:document {_NS}><w:body>{_sample_body()}{section_xml()}</w:body></w:document>"
    )
    core = (
        f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
        '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>Ametijuhendi stiilid</dc:title><dc:language>et-EE</dc:language>"
        "</cp:coreProperties>"
    )
    app = (
        f'{_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>ametijuhend</Application></Properties>'
    )
    parts = {
        "[Content_Types].xml": content_types,
        "_rels/.rels": root_rels,
        "docProps/app.xml": app,
        "docProps/core.xml": core,
        "word/_rels/document.xml.rels": doc_rels,
        "word/document.xml": document,
        "word/fontTable.xml": font_table_xml(),
        "word/footer1.xml": footer_xml(),
        "word/theme/theme1.xml": theme_xml(),
        "word/numbering.xml": numbering_xml(),
        "word/settings.xml": settings_xml(),
        "word/styles.xml": styles_xml(),
    }
    return {name: text.encode("utf-8") for name, text in parts.items()}


def reference_docx() -> bytes:
    """Return the bytes of the built-in reference document."""
    return write_package(reference_parts())
