"""The only part of tracker/ that imports Streamlit: page setup and shared widgets."""

from .setup import PageContext, page_setup

__all__ = ["PageContext", "page_setup"]
