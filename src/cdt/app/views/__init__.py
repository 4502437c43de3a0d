"""The five pages; each is a script Streamlit runs, and imports only cdt.api helpers."""
