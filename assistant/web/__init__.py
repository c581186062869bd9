"""What the Gradio app shows: the map as a swimlane grid, exports, version diffs, chat routing."""
