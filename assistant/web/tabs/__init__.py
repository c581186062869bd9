"""The app's tabs, one module each; `app.py` lays them out and wires them to one session."""
