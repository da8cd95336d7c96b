from agesh_tui.cli import main

# Guarded: the worker processes that render documents in parallel (spawn)
# import the main module again, and must not run the command a second time.
if __name__ == "__main__":
    raise SystemExit(main())
