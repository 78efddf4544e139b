# `/zoom schedule`: scheduled meetings, their cards, reminders and calendar files.
