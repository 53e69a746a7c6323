"""Presentation: a credential and its report as a view for people (view, model, labels, seal), on the
terminal (render), as a printable page (page) and as PDF through a headless browser (browser).
"""
