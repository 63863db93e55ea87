"""The floor for browser timings: one selectbox, one slider and one Plotly chart, nothing else (its
title is page text above the figure, as on the dashboard's pages). The slider scales one bar, the
way a Penilaian weight slider reshapes the contributions chart."""

import plotly.graph_objects as go
import streamlit as st

choice = st.selectbox("Seri", ["A", "B", "C"], key="seri")
scale = st.slider("Bobot", 0, 10, 8, step=1, key="bobot")
values = {"A": [3, 1, 2], "B": [1, 3, 2], "C": [2, 2, 3]}[choice]
values = [values[0] * (1 + scale), *values[1:]]
fig = go.Figure(go.Bar(x=values, y=["x", "y", "z"], orientation="h"))
fig.update_layout(template="plotly_white")
st.markdown(f"**Seri {choice}**")
st.plotly_chart(fig, key="chart", theme=None)
