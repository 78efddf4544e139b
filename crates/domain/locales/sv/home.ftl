# The App Home tab and the settings modal.
