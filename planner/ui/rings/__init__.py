"""The pyramid on screen: the rings canvas, its nodes, hover cards and dragging between rings."""
