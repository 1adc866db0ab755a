"""Reports: HTML board pack, Markdown, terminal table, and the SVG pieces they share."""
