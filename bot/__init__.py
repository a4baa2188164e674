"""runlift: a Telegram coach that fits strength training around a runner's week."""

__version__ = "0.1.0"
