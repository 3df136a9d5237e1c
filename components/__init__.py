"""Pure builders: plain data in, a Dash component or a Plotly figure out."""
