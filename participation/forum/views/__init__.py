"""Views of the Forum ouvert: public pages, the applicant's pages, the back-office."""
